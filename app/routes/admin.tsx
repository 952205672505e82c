// /admin: support's area. Every loader and action below guards itself with requireStaff (Remix runs
// child loaders and actions without this layout's loader), so students get 403 and visitors a login.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";

export const meta: MetaFunction = () => [{ title: "Support · MarkM8" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return null;
}

export default function Admin() {
  return (
    <>
      <nav aria-label="Support" className="sub-nav">
        <NavLink to="/admin" end>
          Overview
        </NavLink>
        <NavLink to="/admin/jobs">Jobs</NavLink>
        <NavLink to="/admin/credits">Credits</NavLink>
        <NavLink to="/admin/audit">Audit log</NavLink>
      </nav>
      <Outlet />
    </>
  );
}
