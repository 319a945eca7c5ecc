// The chat: asks /api/ask with the earlier turns, and shows each answer highlighted in its paragraph.
// Report text is untrusted: it is only ever inserted with textContent, never as HTML.
const thread = document.getElementById("thread");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const send = document.getElementById("send");
const status = document.getElementById("status");
let history = [];


// The report's title, then its authority, kind, dates (or that it gives none) and paragraph.
function citationLine(answer) {
  const c = answer.citation;
  const parts = [c.title, c.reference];
  if (c.page) parts.push("p. " + c.page);
  if (c.section) parts.push(c.section);
  const line = element("p", "source");
  line.append(element("span", "where", parts.join(" · ")), " ", reportLink(c, "View report"));
  if (c.original) {
    // Ofsted's own file, at the page (browsers' PDF viewers read #page=N), in a new tab.
    const original = element("a", "original", c.page ? `Original, p. ${c.page}` : "Original");
    original.href = c.original + (c.page ? "#page=" + c.page : "");
    original.target = "_blank";
    original.rel = "noopener";
    line.append(" ", original);
  }
  return line;
}

// Feedback becomes test data: "right" / "wrong" on an answer, "this passage answers it" on a closest one.
function feedbackButtons(answer, kind, asked) {
  const box = element("span", "feedback");
  // The buttons give way to what became of the verdict, which takes the focus they had.
  const done = (text) => {
    const said = element("span", "feedback-done", text);
    said.setAttribute("role", "status");
    said.tabIndex = -1;
    box.replaceChildren(said);
    said.focus();
  };
  const choices = kind === "found" ? [["right", "Right"], ["wrong", "Wrong"]] : [["answers", "This passage answers it"]];
  choices.forEach(([verdict, label]) => {
    const button = element("button", "secondary", label);
    button.type = "button";
    button.dataset.verdict = verdict;
    // Each button's name says which answer it is about: six "Right" buttons are not six names.
    const words = answer.text.split(/\s+/).slice(0, 8).join(" ");
    button.setAttribute("aria-label", `${label}: “${words}${answer.text.split(/\s+/).length > 8 ? "…" : ""}”`);
    button.addEventListener("click", async () => {
      box.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      try {
        const response = await fetch("/api/feedback", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ verdict, question: asked.question, history: asked.history, answer }),
        });
        done(response.ok ? "Thank you: saved." : "Could not save.");
      } catch (error) {
        done("Could not save.");
      }
    });
    box.append(button);
  });
  return box;
}

function answerCard(answer, kind, asked) {
  const c = answer.citation;
  const card = element("li", "answer " + kind);
  const quote = element("blockquote", "paragraph");
  // Highlight by offsets into the paragraph, never by searching for the text again.
  // A short answer is shown inside its sentence, which is underlined; the answer is marked.
  // A list's items are shown a line each: the space before each is shown as a line break.
  const characters = c.paragraph.split("");
  (c.breaks || []).forEach((at) => { characters[at - 1] = "\n"; });
  const text = characters.join("");
  const sentence = element("span", "sentence");
  sentence.append(document.createTextNode(text.slice(c.sentence_start, c.start)));
  sentence.append(element("mark", null, text.slice(c.start, c.end)));
  sentence.append(document.createTextNode(text.slice(c.end, c.sentence_end)));
  quote.append(document.createTextNode(text.slice(0, c.sentence_start)), sentence,
               document.createTextNode(text.slice(c.sentence_end)));
  card.append(quote, citationLine(answer));
  // The score is a measured probability of being right; the reply says it in words.
  const likelihood = answer.likelihood.charAt(0).toUpperCase() + answer.likelihood.slice(1);
  const score = element("p", "score", `${likelihood} (score ${answer.score.toFixed(2)}, `);
  const measured = element("a", "measured", "how this is measured");
  measured.href = "/about#score";
  score.append(measured, ") ");
  score.append(feedbackButtons(answer, kind, asked));
  card.append(score);
  return card;
}

// A question about many reports: one row per report, the answer's grade linked to its row.
function tableOf(reply) {
  const rows = reply.table;
  const found = rows.filter((row) => row.answer);
  const wrap = element("div", "table-answer");
  wrap.append(element("p", "table-count", found.length + " of " + rows.length + " reports"));
  const table = element("table", "reports answer-table");
  const head = element("tr");
  ["Authority", "Published", "Type", "Grade"].forEach((label) => {
    const th = element("th", null, label);
    th.scope = "col";
    head.append(th);
  });
  const thead = element("thead");
  thead.append(head);
  const body = element("tbody");
  found.concat(rows.filter((row) => !row.answer)).forEach((row) => {
    const tr = element("tr", row.answer ? "found" : "other");
    tr.append(element("td", null, row.authority), element("td", null, row.date || ""), element("td", null, row.kind));
    const grade = element("td");
    if (row.answer) {
      grade.append(reportLink(row.answer.citation, row.answer.text));
      if (row.note) grade.append(element("p", "hint", row.note));
    } else {
      grade.textContent = row.grade || row.note || "";
    }
    tr.append(grade);
    body.append(tr);
  });
  table.append(thead, body);
  wrap.append(table);
  return wrap;
}

// "A", "A or B", "A, B or C".
function either(names) {
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

function showReply(turn, reply, asked) {
  if (reply.searched_for) turn.append(element("p", "searched-for", `Searched for: ${reply.searched_for}`));
  if (reply.could_mean && reply.could_mean.length) {
    turn.append(element("p", "not-found", `Which authority do you mean? The question's name could be ${either(reply.could_mean)}: ask again with its name.`));
    return;
  }
  if (reply.table) {
    if (reply.answered && !reply.from_table) {
      // A change in the reports' own words, then each inspection's grade.
      const list = element("ol", "answers");
      reply.answers.forEach((answer) => list.append(answerCard(answer, "found", asked)));
      turn.append(list, element("h3", "table-heading", "Each inspection's grade"));
    }
    if (!reply.answered) turn.append(element("p", "not-found", reply.reason.message));
    turn.append(tableOf(reply));
    if (reply.answered) {
      closestPassages(turn, reply, asked);
      return;
    }
  } else if (reply.answered) {
    const list = element("ol", "answers");
    reply.answers.forEach((answer) => list.append(answerCard(answer, "found", asked)));
    turn.append(list);
    closestPassages(turn, reply, asked);
    return;
  }
  if (!reply.table) turn.append(element("p", "not-found", reply.reason.message));
  closestPassages(turn, reply, asked);
}

// Passages that scored under the "not found" threshold: never shown as answers. Under a reply
// that is answered they are folded away; under a "not found" they are what there is to read.
function closestPassages(turn, reply, asked) {
  if (!reply.closest || !reply.closest.length) return;
  const list = element("ul", "answers closest");
  reply.closest.forEach((answer) => list.append(answerCard(answer, "closest", asked)));
  if (!reply.answered) {
    turn.append(element("h3", "closest-heading", "Closest passages (not answers)"), list);
    return;
  }
  const more = element("details", "closest-more");
  more.append(element("summary", null, `Closest passages, not answers (${reply.closest.length})`), list);
  turn.append(more);
}

// The filters on the reports asked, as /api/ask takes them: only those given.
const filterForm = document.getElementById("filters");
const FILTERS = ["authority", "region", "kind", "from", "to"];
function chosenFilters() {
  const chosen = {};
  FILTERS.forEach((name) => {
    const value = filterForm.elements[name].value.trim();
    if (value) chosen[name] = value;
  });
  return chosen;
}

// A question can be shared: /?q=QUESTION (after &h=EARLIER for each earlier turn, with the
// filters as they were) asks it on load.
function shareLink(question, earlier, filters) {
  const params = new URLSearchParams();
  Object.entries(filters).forEach(([name, value]) => params.append(name, value));
  earlier.forEach((turn) => params.append("h", turn.question));
  params.append("q", question);
  return "/?" + params.toString();
}

async function ask(question) {
  const turn = element("article", "turn");
  const heading = element("h2", "question", question);
  const asked = { question, history: history.slice() };
  const filters = chosenFilters();
  const share = element("a", "share", "Link to this question");
  share.href = shareLink(question, asked.history, filters);
  if (Object.keys(filters).length) {
    heading.append(element("span", "asked-of", " (only " + Object.values(filters).join(", ") + ")"));
  }
  turn.append(heading, share);
  thread.append(turn);
  send.disabled = true;
  form.setAttribute("aria-busy", "true");
  status.textContent = "Searching the reports…";
  try {
    const response = await fetch("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, history, top_k: 3, filters }),
    });
    const body = await response.json();
    if (!response.ok) {
      turn.append(element("p", "error", body.error ? body.error.message : "The question could not be answered."));
      return;
    }
    showReply(turn, body, asked);
    window.history.replaceState(null, "", share.href);
    history.push({
      question,
      answer: body.answered ? body.answers[0].text : "",
      report: body.answered ? body.answers[0].citation.doc_id : "",
    });
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
  window.history.replaceState(null, "", "/");
  input.focus();
});

(async () => {
  const params = new URLSearchParams(window.location.search);
  FILTERS.forEach((name) => {
    if (params.get(name)) {
      filterForm.elements[name].value = params.get(name);
      document.getElementById("filters-box").open = true;
    }
  });
  const question = params.get("q");
  if (!question) return;
  for (const earlier of params.getAll("h")) await ask(earlier);
  await ask(question);
})();

// While the index is being built, say how far it is, until there is something to answer from.
const building = document.getElementById("building");
async function showBuilding() {
  try {
    const response = await fetch("/api/health");
    const health = await response.json();
    const progress = health.progress;
    if (health.status !== "building" || !progress) {
      building.hidden = true;
      return;
    }
    const left = progress.seconds_left === null ? "" : `, about ${Math.max(Math.round(progress.seconds_left / 60), 1)} min left`;
    building.textContent = `Building the index: ${progress.done} of ${progress.reports} reports${left}. ` +
      "Answers start as soon as the first part is saved.";
    building.hidden = false;
  } catch (error) {
    return;
  }
  setTimeout(showBuilding, 5000);
}
showBuilding();

// The filters apply to the next question asked; they are not a form to send.
filterForm.addEventListener("submit", (event) => event.preventDefault());
