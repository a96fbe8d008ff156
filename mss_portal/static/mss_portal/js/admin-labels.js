/*
 * Names for the admin widgets Django builds in the browser, which reach screen readers unnamed
 * (axe-core: "label", "aria-input-field-name", "aria-prohibited-attr", "list"):
 *
 * - the autocomplete boxes (Select2): their combobox, its text and its search field get the field's
 *   own <label> (aria-labelledby), which they do not point to;
 * - a box of several choices shows no "remove all" cross: Select2 puts it straight inside its list
 *   of choices, where a list may hold only items (each choice keeps its own cross, and Backspace);
 * - the magnifier of the two-box selectors (SelectFilter) is an image: its aria-label is not
 *   allowed on a plain <span>.
 *
 * A module runs after the page is parsed, so after Django's admin scripts are loaded and before
 * they set their widgets up: the option is set before Select2 reads it, the names after.
 */

for (const select of document.querySelectorAll("select.admin-autocomplete[multiple]")) {
  select.dataset.allowClear = "false";
}

function labelOf(select) {
  const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
  if (!label) {
    return null;
  }
  label.id ||= `${select.id}_label`;
  return label.id;
}

function nameAutocompletes() {
  for (const select of document.querySelectorAll("select.admin-autocomplete.select2-hidden-accessible")) {
    const label = labelOf(select);
    const container = select.nextElementSibling;
    if (!label || !container?.classList.contains("select2-container")) {
      continue;
    }
    const box = container.querySelector(".select2-selection");
    const shown = container.querySelector(".select2-selection__rendered[id]");
    box?.setAttribute("aria-labelledby", shown ? `${label} ${shown.id}` : label);
    shown?.setAttribute("aria-labelledby", label);
    container.querySelector(".select2-search__field")?.setAttribute("aria-labelledby", label);
  }
}

function nameSearchIcons() {
  for (const icon of document.querySelectorAll(".search-label-icon[aria-label]")) {
    icon.setAttribute("role", "img");
  }
}

const $ = window.django?.jQuery;
if ($) {
  // After Django's autocomplete.js, whose set-up runs on the same ready signal, registered earlier.
  $(nameAutocompletes);
  // The search field of an open single-choice box lives in the dropdown, built when it opens.
  $(document).on("select2:open", (event) => {
    const label = labelOf(event.target);
    const field = document.querySelector(".select2-container--open .select2-search__field");
    if (label && field) {
      field.setAttribute("aria-labelledby", label);
    }
  });
}
document.addEventListener("formset:added", () => $ && $(nameAutocompletes));
// Django's SelectFilter2.js builds its boxes on "load", in a listener registered before this one.
window.addEventListener("load", nameSearchIcons);
