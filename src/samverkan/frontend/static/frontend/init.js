// Initialise GOV.UK Frontend components (progressive enhancement only: every page
// works without JavaScript).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
