// Follows a pending grade live over its event stream; when it turns final, closes the stream and
// reloads the page's data so the result (or the failure) appears without a full reload.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { GradeStatus } from "~/generated/prisma/enums";
import { isFinal, type ProgressEvent } from "~/grading/progress";

export type Live = { status: GradeStatus; stage: string; progress: number };

export function useGradeProgress(essayId: string, initial: Live): Live {
  const [live, setLive] = useState<Live | null>(null);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const pending = initial.status === "QUEUED" || initial.status === "PROCESSING";

  useEffect(() => {
    if (!pending) return;
    const source = new EventSource(`/essays/${essayId}/events`);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data) as ProgressEvent;
      setLive({ status: event.status.toUpperCase() as GradeStatus, stage: event.stage, progress: event.progress });
      if (isFinal(event.status)) {
        source.close();
        revalidate.current();
      }
    };
    return () => source.close();
  }, [essayId, pending]);

  // Once the page's own data is final it is the truth; until then, the freshest event wins.
  return pending && live ? live : initial;
}
