// Helpers shared by the chat and the compare page. Report text only ever goes in as textContent.
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// A link that opens an answer's report at its cited paragraph, the answer marked.
function reportLink(citation, text) {
  const link = element("a", "view", text);
  link.href = "/reports/" + encodeURIComponent(citation.doc_id) + "?start=" + citation.doc_start +
    "&end=" + citation.doc_end + "#cited";
  return link;
}
