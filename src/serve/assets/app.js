// insp serve: small enhancements; every page works without this file.
"use strict";
document.addEventListener("keydown", (e) => {
  // "/" jumps to the search box, as on many search pages.
  const q = document.getElementById("q");
  if (e.key === "/" && q && document.activeElement !== q) {
    e.preventDefault();
    q.focus();
    q.select();
  }
});
document.addEventListener("DOMContentLoaded", () => {
  // "Back" returns to the results the reader came from, when there are any.
  const back = document.querySelector("a.back");
  if (back && document.referrer.startsWith(location.origin) && history.length > 1) {
    back.addEventListener("click", (e) => { e.preventDefault(); history.back(); });
  }
  // The paragraph opened in context is scrolled into view.
  const current = document.querySelector(".para.current");
  if (current) current.scrollIntoView({ block: "center" });
});
