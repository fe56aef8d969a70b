// The API explorer: Swagger UI over the gateway's own /openapi.json, bundled from npm's
// swagger-ui-dist (nothing from a CDN). "Authorize" takes an access token (from
// POST /v1/auth/login or /v1/auth/guest) and "Try it out" sends it as the bearer.
import "swagger-ui-dist/swagger-ui.css";
// @ts-expect-error swagger-ui-dist ships no type declarations
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-bundle.js";

SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger",
  deepLinking: true,
  // A pasted token (often a staff member's) lives only as long as the page.
  persistAuthorization: false,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
  // Links in descriptions and the spec's servers stay on this origin.
  validatorUrl: null,
});
