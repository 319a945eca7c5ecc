// Compare reports: streams /api/survey's rows (NDJSON) into a sortable table with progress.
// Report text is untrusted: it is only ever inserted with textContent, never as HTML.
const form = document.getElementById("survey");
const run = document.getElementById("run");
const progress = document.getElementById("progress");
const progressText = document.getElementById("progress-text");
const table = document.getElementById("rows");
const body = table.querySelector("tbody");
const downloads = document.getElementById("downloads");
let rows = [];
let order = { key: null, descending: false };


function rowElement(row) {
  const tr = element("tr", row.answer ? "found" : "not-found-row");
  tr.append(element("td", null, row.authority || ""), element("td", null, row.region || ""),
    element("td", null, row.title),
    element("td", null, row.date || "not given"), element("td", null, row.kind));
  const answer = element("td", "survey-answer");
  if (row.answer) {
    const c = row.answer.citation;
    answer.append(element("mark", null, row.answer.text), " ");
    const where = [c.paragraph_number !== null ? "paragraph " + c.paragraph_number : "in the report"];
    if (c.page) where.push("p. " + c.page);
    answer.append(reportLink(c, where.join(", ")));
  } else {
    answer.append(element("span", "not-found", "not found"));
  }
  tr.append(answer, element("td", "score", row.score.toFixed(2)));
  return tr;
}

function render() {
  const shown = rows.slice();
  if (order.key) {
    shown.sort((a, b) => {
      const x = a[order.key] ?? "", y = b[order.key] ?? "";
      const compared = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return order.descending ? -compared : compared;
    });
  }
  body.replaceChildren(...shown.map(rowElement));
  table.querySelectorAll("button.sort").forEach((button) => {
    const th = button.closest("th");
    if (button.dataset.key === order.key) th.setAttribute("aria-sort", order.descending ? "descending" : "ascending");
    else th.removeAttribute("aria-sort");
  });
}

table.querySelectorAll("button.sort").forEach((button) => {
  button.addEventListener("click", () => {
    const key = button.dataset.key;
    order = { key, descending: order.key === key ? !order.descending : key === "score" || key === "date" };
    render();
  });
});

function showProgress(done, total) {
  progress.hidden = false;
  progress.max = Math.max(total, 1);
  progress.value = done;
  progressText.textContent = done + " of " + total + " reports read";
}

async function survey(question, filters) {
  rows = [];
  order = { key: null, descending: false };
  render();
  table.hidden = false;
  downloads.hidden = true;
  run.disabled = true;
  form.setAttribute("aria-busy", "true");
  progressText.textContent = "Starting…";
  let total = 0;
  try {
    const response = await fetch("/api/survey", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, filters, stream: true }),
    });
    if (!response.ok) {
      const error = await response.json();
      progressText.textContent = error.error ? error.error.message : "The question could not be asked.";
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop();
      for (const line of lines) {
        if (!line.trim()) continue;
        const message = JSON.parse(line);
        if (message.total !== undefined) total = message.total;
        if (message.row) {
          rows.push(message.row);
          body.append(rowElement(message.row));
        }
        if (message.done) {
          const answered = rows.filter((row) => row.answer).length;
          progressText.textContent = answered + " of " + total + " reports answer it (" +
            (message.took_ms / 1000).toFixed(1) + " s)";
          document.getElementById("download-csv").href = "/api/survey/" + message.id + ".csv";
          document.getElementById("download-json").href = "/api/survey/" + message.id + ".json";
          downloads.hidden = false;
        } else {
          showProgress(rows.length, total);
        }
      }
    }
  } catch (error) {
    progressText.textContent = "The server could not be reached. Try again.";
  } finally {
    run.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const question = String(data.get("question") || "").trim();
  if (!question) return;
  const filters = {};
  for (const name of ["authority", "region", "kind", "from", "to"]) {
    if (data.get(name)) filters[name] = data.get(name);
  }
  survey(question, filters);
});
