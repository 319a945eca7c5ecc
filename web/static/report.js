// Bring the cited page of the PDF (or, for a text, the cited paragraph) into view and give it
// focus, so keyboard users land on it too. With the page shown, the paragraph is "cited-text", so
// that the link's #cited does not take the focus back to it.
const cited = document.getElementById("original") || document.getElementById("cited");
if (cited) {
  cited.scrollIntoView({ block: "center" });
  cited.focus({ preventScroll: true });
}
