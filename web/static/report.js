// Bring the cited paragraph into view and give it focus, so keyboard users land on it too.
const cited = document.getElementById("cited");
if (cited) {
  cited.scrollIntoView({ block: "center" });
  cited.focus({ preventScroll: true });
}
