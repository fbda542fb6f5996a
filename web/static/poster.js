// The poster's "Skriv ut" button: the browser's print dialog, where the A4 sheet is laid out
// by public.css's print rules.
(function () {
  "use strict";
  var b = document.getElementById("print");
  if (b) b.addEventListener("click", function () { window.print(); });
})();
