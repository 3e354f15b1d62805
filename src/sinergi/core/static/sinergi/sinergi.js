// Small behaviours every page shares. The pages work without this file; it only saves steps.
(function () {
  "use strict";

  // After a refused submit the error summary takes the focus, so a screen reader starts there, and
  // each of its links puts the focus in the field it names (a bare #fragment would only scroll).
  function focusErrorSummary() {
    var summary = document.getElementById("ringkasan-galat");
    if (!summary) return;
    var prefix = summary.getAttribute("data-title-prefix");
    if (prefix && document.title.indexOf(prefix) !== 0) document.title = prefix + document.title;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
  }

  function pickerOf(element) {
    return element.closest("[data-region-picker]");
  }

  // Region search: Enter (or the "Cari" button) searches in place instead of sending the form, and a
  // region ticked among the matches joins the ticked list, so the next search cannot take it away.
  function regionSearch() {
    if (!window.htmx) return;
    document.addEventListener("keydown", function (event) {
      var input = event.target;
      if (event.key !== "Enter" || !input.matches) return;
      if (input.matches("[data-region-search]")) {
        event.preventDefault();
        window.htmx.trigger(input, "region-search");
      } else if (input.matches("[data-search-on-enter]")) {
        event.preventDefault();
        window.htmx.trigger(input, "search");
      }
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-region-search-button]");
      if (!button) return;
      var input = pickerOf(button).querySelector("[data-region-search]");
      event.preventDefault();
      window.htmx.trigger(input, "region-search");
      input.focus();
    });
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches("[data-region-matches] input[type=checkbox]") || !box.checked) return;
      var picker = pickerOf(box);
      var none = picker.querySelector("[data-region-none]");
      if (none) none.remove();
      picker.querySelector("[data-region-selected]").appendChild(box.closest("li"));
      box.focus();
    });
  }

  // The main menu folds behind one button on a phone (the CSS folds it only when this ran).
  function foldableMenu() {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("menu-utama");
    if (!button || !menu) return;
    document.documentElement.classList.add("js-menu");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
      if (open) {
        var first = menu.querySelector("a");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("open")) {
        button.click();
        button.focus();
      }
    });
  }

  function start() {
    foldableMenu();
    focusErrorSummary();
    regionSearch();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
