// The CSP nonce of the page being rendered (app/guards.server.ts makes one per request). Empty in the
// browser, where it is not needed after the first render.
import { createContext, useContext } from "react";

export const NonceContext = createContext("");

export const useNonce = () => useContext(NonceContext);
