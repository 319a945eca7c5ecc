// The chat: asks /api/ask with the earlier turns, and shows each answer highlighted in its paragraph.
// Report text is untrusted: it is only ever inserted with textContent, never as HTML.
const thread = document.getElementById("thread");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const send = document.getElementById("send");
const status = document.getElementById("status");
let history = [];

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function confidence(score) {
  if (score >= 0.7) return "Strong match";
  if (score >= 0.4) return "Good match";
  return "Weak match";
}

function citationLine(answer) {
  const c = answer.citation;
  const parts = [c.title];
  if (c.date) parts.push(c.date);
  if (c.section) parts.push(c.section);
  if (c.paragraph_number !== null) parts.push("paragraph " + c.paragraph_number);
  const line = element("p", "source");
  line.append(element("span", "where", parts.join(" · ")), " ");
  const link = element("a", "view", "View report");
  link.href = "/reports/" + encodeURIComponent(c.doc_id) + "?start=" + c.doc_start + "&end=" + c.doc_end + "#cited";
  line.append(link);
  return line;
}

function answerCard(answer, kind) {
  const c = answer.citation;
  const card = element("li", "answer " + kind);
  const quote = element("blockquote", "paragraph");
  // Highlight by offsets into the paragraph, never by searching for the text again.
  // A short answer is shown inside its sentence, which is underlined; the answer is marked.
  const sentence = element("span", "sentence");
  sentence.append(document.createTextNode(c.paragraph.slice(c.sentence_start, c.start)));
  sentence.append(element("mark", null, c.paragraph.slice(c.start, c.end)));
  sentence.append(document.createTextNode(c.paragraph.slice(c.end, c.sentence_end)));
  quote.append(document.createTextNode(c.paragraph.slice(0, c.sentence_start)), sentence,
               document.createTextNode(c.paragraph.slice(c.sentence_end)));
  card.append(quote, citationLine(answer));
  card.append(element("p", "score", confidence(answer.score) + " (score " + answer.score.toFixed(2) + ")"));
  return card;
}

function showReply(turn, reply) {
  if (reply.answered) {
    const list = element("ol", "answers");
    reply.answers.forEach((answer) => list.append(answerCard(answer, "found")));
    turn.append(list);
    return;
  }
  turn.append(element("p", "not-found", "The reports do not answer this question."));
  if (reply.closest && reply.closest.length) {
    turn.append(element("h3", "closest-heading", "Closest passages (not answers)"));
    const list = element("ul", "answers closest");
    reply.closest.forEach((answer) => list.append(answerCard(answer, "closest")));
    turn.append(list);
  }
}

async function ask(question) {
  const turn = element("article", "turn");
  turn.append(element("h2", "question", question));
  thread.append(turn);
  send.disabled = true;
  form.setAttribute("aria-busy", "true");
  status.textContent = "Searching the reports…";
  try {
    const response = await fetch("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, history, top_k: 3 }),
    });
    const body = await response.json();
    if (!response.ok) {
      turn.append(element("p", "error", body.error ? body.error.message : "The question could not be answered."));
      return;
    }
    showReply(turn, body);
    history.push({ question, answer: body.answered ? body.answers[0].text : "" });
    history = history.slice(-10);
  } catch (error) {
    turn.append(element("p", "error", "The server could not be reached. Try again."));
  } finally {
    send.disabled = false;
    form.removeAttribute("aria-busy");
    status.textContent = "";
    turn.scrollIntoView({ block: "start" });
    input.focus();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question) return;
  input.value = "";
  ask(question);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

document.getElementById("new-chat").addEventListener("click", () => {
  history = [];
  thread.replaceChildren();
  input.focus();
});
