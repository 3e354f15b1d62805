/* Intake review page: link each draft value to where it was found in the source text.
   Hovering or focusing a draft field lights up its <mark>s; following a "lihat di teks" link keeps
   them lit and scrolls them into view. The "new organisation" fields show only when chosen. */
(function () {
  "use strict";

  function marksFor(ids) {
    var found = [];
    ids.forEach(function (id) {
      if (!id) { return; }
      document.querySelectorAll('mark[data-marks~="' + id + '"]').forEach(function (m) { found.push(m); });
    });
    return found;
  }

  function idsOf(el) {
    return (el.getAttribute("data-mark") || "").split(/\s+/).filter(Boolean);
  }

  function light(el, on) {
    marksFor(idsOf(el)).forEach(function (m) { m.classList.toggle("is-active", on); });
  }

  var pinned = [];
  function pin(ids) {
    pinned.forEach(function (m) { m.classList.remove("is-target"); });
    pinned = marksFor(ids);
    pinned.forEach(function (m) { m.classList.add("is-target"); });
    if (pinned.length) {
      pinned[0].scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }

  function setup() {
    document.querySelectorAll(".intake-draft [data-mark]").forEach(function (el) {
      el.addEventListener("mouseenter", function () { light(el, true); });
      el.addEventListener("mouseleave", function () { light(el, false); });
      el.addEventListener("focusin", function () { light(el, true); });
      el.addEventListener("focusout", function () { light(el, false); });
    });
    // The other way round: pointing at a value in the text shows which draft field it filled.
    document.querySelectorAll(".source-text mark[data-marks]").forEach(function (m) {
      var ids = (m.getAttribute("data-marks") || "").split(/\s+/).filter(Boolean);
      var fields = function () {
        var out = [];
        ids.forEach(function (id) {
          document.querySelectorAll('.intake-draft [data-mark~="' + id + '"]:not(a)').forEach(function (el) { out.push(el); });
        });
        return out;
      };
      m.addEventListener("mouseenter", function () { fields().forEach(function (el) { el.classList.add("is-linked"); }); });
      m.addEventListener("mouseleave", function () { fields().forEach(function (el) { el.classList.remove("is-linked"); }); });
    });
    document.querySelectorAll("a.src-link").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        pin(idsOf(a));
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", a.getAttribute("href"));
        }
      });
    });
    if (window.location.hash.indexOf("#src-") === 0) {
      pin([window.location.hash.slice(5)]);
    }

    document.querySelectorAll("[data-new-org-for]").forEach(function (box) {
      var select = document.getElementById(box.getAttribute("data-new-org-for"));
      if (!select) { return; }
      var sync = function () { box.hidden = select.value !== "baru"; };
      select.addEventListener("change", sync);
      sync();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
