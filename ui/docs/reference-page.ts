/**
 * /docs: Swagger UI over /openapi.json, bundled by build.ts from swagger-ui-dist so that nothing
 * is fetched from a CDN. "Try it out" sends the token this browser signed in to the dashboard
 * with (the same origin's localStorage, or a `#token=` in this page's address, picked up and
 * removed from the address bar exactly as the dashboard does, lib/token.ts).
 */
// The bundle alone: the package's index also pulls in the standalone preset, which this page does not use.
import SwaggerUIBundle, { type SwaggerRequest } from "swagger-ui-dist/swagger-ui-bundle.js";
import "swagger-ui-dist/swagger-ui.css";
import { safeLocalStorage } from "../src/lib/browser.ts";
import { pickUpToken, readStoredToken } from "../src/lib/token.ts";

const storage = safeLocalStorage();
const pickup = pickUpToken(window.location, storage);
if (pickup.cleanedUrl !== null) history.replaceState(null, "", pickup.cleanedUrl);

/** Only this server is given the token, never a URL typed into a "servers" box. */
const isOwn = (url: string) => new URL(url, window.location.href).origin === window.location.origin;

const ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null, // the default sends the document to validator.swagger.io
  displayRequestDuration: true,
  // The token is read at each request: signing in again in the dashboard needs no reload here.
  requestInterceptor: (request: SwaggerRequest) => {
    const token = readStoredToken(storage) ?? pickup.token;
    if (token && isOwn(request.url) && !request.headers["X-Local-Token"]) request.headers["X-Local-Token"] = token;
    return request;
  },
  onComplete: () => {
    // Shown as "authorized" in the page, and used for the websockets' ?token= in their examples.
    if (pickup.token) {
      ui.preauthorizeApiKey("LocalToken", pickup.token);
      ui.preauthorizeApiKey("SocketToken", pickup.token);
    }
  },
});
