// Onebox: small enhancements. Every page works without this file.
"use strict";

// The page's words for what this script says, in the reader's language (see `views::layout`):
// `say("js_aim", {deal: "…"})` fills the blanks.
const words = JSON.parse(document.body.dataset.words || "{}");
const say = (key, blanks = {}) =>
  (words[key] || key).replace(/\{(\w+)\}/g, (whole, name) => (name in blanks ? blanks[name] : whole));

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(field.value);
    button.textContent = say("js_copied");
  });
});

// Deal board: a card moves by drag and drop, or from the keyboard: Space on a card picks it
// up, the arrow keys choose a column, Space or Enter puts it there, Escape puts it back. A move
// posts the card's own Move form (what works without JavaScript) and puts the board of the
// answer in place of this one, so counts and totals follow without a reload; a refused move
// shows the server's reason where the page shows its messages. A lost stage asks the reason.
const board = document.querySelector(".board[data-csrf]");
if (board) {
  document.documentElement.classList.add("js");
  const main = document.getElementById("main");
  const columns = () => [...board.querySelectorAll(".column")];
  const prepare = () => board.querySelectorAll("li.card").forEach((card) => {
    card.tabIndex = 0;
    card.setAttribute("aria-describedby", "board-keys");
  });
  prepare();
  const lostDialog = document.getElementById("lost-dialog");
  const askReason = () => new Promise((resolve) => {
    const input = lostDialog.querySelector("input[name=lost_reason]");
    input.value = "";
    lostDialog.addEventListener("close", () => resolve(lostDialog.returnValue === "move" ? input.value : null), { once: true });
    lostDialog.showModal();
  });
  const show = (doc) => {
    main.querySelectorAll(":scope > .flash").forEach((f) => f.remove());
    const flash = doc.querySelector("#main > .flash");
    if (flash) main.prepend(flash);
  };
  const move = async (card, column) => {
    if (!card || !column || card.closest(".column") === column) return;
    const body = new URLSearchParams(new FormData(card.querySelector("form.move")));
    body.set("stage_id", column.dataset.stage);
    body.delete("lost_reason");
    if (column.dataset.kind === "lost") {
      const reason = await askReason();
      if (reason === null) { card.focus(); return; }
      body.set("lost_reason", reason);
    }
    const response = await fetch(card.querySelector("form.move").action, { method: "POST", body, credentials: "same-origin" });
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = doc.querySelector(".board[data-csrf]");
    if (!response.ok || !next) { window.location.assign(response.url); return; }
    board.replaceChildren(...next.childNodes);
    prepare();
    show(doc);
    const moved = board.querySelector(`li.card[data-deal="${card.dataset.deal}"]`);
    (moved || column.querySelector("h2") || board).focus();
  };

  let dragged = null;
  board.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("li.card");
    if (dragged) dragged.classList.add("dragging");
  });
  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    columns().forEach((c) => c.classList.remove("drop"));
  });
  board.addEventListener("dragover", (event) => {
    const column = event.target.closest(".column");
    if (!column || !dragged) return;
    event.preventDefault();
    columns().forEach((c) => c.classList.toggle("drop", c === column));
  });
  board.addEventListener("drop", (event) => {
    event.preventDefault();
    columns().forEach((c) => c.classList.remove("drop"));
    const card = dragged;
    dragged = null;
    move(card, event.target.closest(".column"));
  });

  // The card picked up from the keyboard, and the column it would go to.
  let held = null;
  let target = null;
  const status = document.getElementById("board-status");
  const aim = (column) => {
    target = column;
    columns().forEach((c) => c.classList.toggle("drop", c === column));
    status.textContent = say("js_aim", { deal: held.querySelector("strong").textContent, stage: column.querySelector("h2").textContent });
  };
  const letGo = () => {
    if (held) held.classList.remove("dragging");
    columns().forEach((c) => c.classList.remove("drop"));
    held = target = null;
  };
  board.addEventListener("keydown", (event) => {
    const card = event.target.closest("li.card");
    if (!card || event.target !== card) return;
    const list = columns();
    if (!held && (event.key === " " || event.key === "Enter")) {
      event.preventDefault();
      held = card;
      card.classList.add("dragging");
      aim(card.closest(".column"));
    } else if (held && (event.key === "ArrowRight" || event.key === "ArrowLeft" || event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const step = event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : -1;
      aim(list[(list.indexOf(target) + step + list.length) % list.length]);
    } else if (held && (event.key === " " || event.key === "Enter")) {
      event.preventDefault();
      const [card, column] = [held, target];
      letGo();
      status.textContent = "";
      move(card, column);
    } else if (held && event.key === "Escape") {
      event.preventDefault();
      letGo();
      status.textContent = say("js_move_cancelled");
    }
  });
  board.addEventListener("focusout", (event) => { if (held && event.target === held) letGo(); });
}

// Calendar: an appointment still to come is dragged onto a free quarter (of a person's day
// column, or a day of one person's week) to move it there. The drop posts what the
// appointment page's Move form posts; the server checks the time is free and within hours,
// and the grid of its answer replaces this one, with its message (done, or why not) shown
// and read out. Without JavaScript, the appointment's page has the same form.
const calendar = document.querySelector("table.calendar[data-csrf]");
if (calendar) {
  document.documentElement.classList.add("js");
  const main = document.getElementById("main");
  const status = document.getElementById("calendar-status");
  let dragged = null;
  // Dragging an appointment moves it; dragging its bottom edge moves its end.
  let resizing = false;
  const QUARTER = 15 * 60 * 1000;
  const clear = () => calendar.querySelectorAll("td.drop").forEach((c) => c.classList.remove("drop"));
  // The quarter of `cell` under the pointer (a taken cell spans several).
  const timeAt = (cell, y) => {
    const rows = Number(cell.dataset.rows || 1);
    const box = cell.getBoundingClientRect();
    const row = Math.min(rows - 1, Math.max(0, Math.floor((y - box.top) / (box.height / rows))));
    return Date.parse(cell.dataset.at) + row * QUARTER;
  };
  const stampOf = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  calendar.addEventListener("dragstart", (event) => {
    resizing = Boolean(event.target.closest && event.target.closest(".resize"));
    dragged = event.target.closest(".appt[draggable]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.id);
  });
  calendar.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    clear();
  });
  calendar.addEventListener("dragover", (event) => {
    const cell = event.target.closest("td[data-at]");
    if (!cell || !dragged) return;
    event.preventDefault();
    clear();
    cell.classList.add("drop");
  });
  calendar.addEventListener("drop", async (event) => {
    const cell = event.target.closest("td[data-at]");
    const item = dragged;
    dragged = null;
    clear();
    if (!cell || !item) return;
    event.preventDefault();
    const at = timeAt(cell, event.clientY);
    const change = resizing
      ? { starts_at: item.dataset.starts, ends_at: stampOf(at + QUARTER), staff_id: item.dataset.staff }
      : { starts_at: stampOf(at), staff_id: cell.dataset.staff || "" };
    status.textContent = say(resizing ? "js_resizing" : "js_moving");
    const body = new URLSearchParams({
      csrf: calendar.dataset.csrf,
      ...change,
      return_to: location.pathname + location.search,
    });
    const response = await fetch(`${calendar.dataset.base}/appointments/${item.dataset.id}/move`, { method: "POST", body, credentials: "same-origin" });
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = doc.querySelector("table.calendar[data-csrf]");
    if (!response.ok || !next) { window.location.assign(response.url); return; }
    calendar.replaceChildren(...next.childNodes);
    main.querySelectorAll(":scope > .flash").forEach((f) => f.remove());
    const flash = doc.querySelector("#main > .flash");
    if (flash) main.prepend(flash);
    status.textContent = flash ? flash.textContent.trim() : "";
    const moved = calendar.querySelector(`.appt[data-id="${item.dataset.id}"] a`);
    if (moved) moved.focus();
  });
}

// Command palette: Ctrl/Cmd+K from any page. Commands come from the page; records from the
// search API. Fully keyboard-driven: arrows move, Enter opens, Esc closes.
const palette = document.getElementById("palette");
const commandData = document.getElementById("palette-commands");
if (palette && commandData && typeof palette.showModal === "function") {
  const commands = [...commandData.querySelectorAll("li")].map((li) => ({ label: li.textContent, href: li.dataset.href }));
  const input = document.getElementById("palette-input");
  const list = document.getElementById("palette-list");
  const kinds = { contact: "contacts", company: "companies", deal: "deals", task: "tasks", note: "notes" };
  let items = [];
  let active = 0;
  let pending = 0;
  let searched = "";
  const empty = document.createElement("p");
  empty.className = "muted small palette-empty";
  empty.setAttribute("role", "status");
  list.after(empty);

  const render = () => {
    list.replaceChildren(...items.map((item, i) => {
      const li = document.createElement("li");
      li.id = "palette-item-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === active));
      li.textContent = item.label;
      const about = [item.detail, item.kind].filter(Boolean).join(" · ");
      if (about) {
        const detail = document.createElement("span");
        detail.className = "muted small";
        detail.textContent = " · " + about;
        li.append(detail);
      }
      li.addEventListener("mousedown", (e) => { e.preventDefault(); go(i); });
      return li;
    }));
    input.setAttribute("aria-activedescendant", items.length ? "palette-item-" + active : "");
    empty.textContent = searched && !items.length ? say("js_nothing_matches", { q: searched }) : "";
  };
  const go = (i) => { if (items[i]) window.location.assign(items[i].href); };
  const update = async () => {
    const text = input.value.trim().toLowerCase();
    const matching = commands.filter((c) => c.label.toLowerCase().includes(text)).slice(0, text ? 5 : 12);
    items = matching;
    active = 0;
    searched = "";
    render();
    if (text.length < 2) return;
    const ticket = ++pending;
    const response = await fetch(palette.dataset.search + "?limit=8&q=" + encodeURIComponent(text), { credentials: "same-origin" });
    if (!response.ok || ticket !== pending) return;
    const found = (await response.json()).data.map((hit) => ({
      label: hit.title, detail: hit.detail, kind: hit.type, href: palette.dataset.base + "/" + kinds[hit.type] + "/" + hit.id,
    }));
    items = matching.concat(found);
    searched = input.value.trim();
    render();
  };
  const open = () => { input.value = ""; update(); palette.showModal(); input.focus(); };

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
      event.preventDefault();
      if (palette.open) palette.close(); else open();
    }
  });
  input.addEventListener("input", update);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { active = Math.min(active + 1, items.length - 1); render(); event.preventDefault(); }
    else if (event.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); event.preventDefault(); }
    else if (event.key === "Enter") { go(active); event.preventDefault(); }
  });
  palette.addEventListener("click", (event) => { if (event.target === palette) palette.close(); });
}

// The owner's setup page: the workspace's time zone starts as the browser's.
const setupZone = document.querySelector("fieldset.workspace input[name=time_zone]");
if (setupZone && (setupZone.value === "" || setupZone.value === "UTC")) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) setupZone.value = zone;
}

// Lists: a box in the header ticks every row of the page.
document.querySelectorAll("input[data-select-all]").forEach((all) => {
  all.hidden = false;
  all.addEventListener("change", () => {
    all.closest("table").querySelectorAll("input[name=ids]").forEach((box) => { box.checked = all.checked; });
  });
});

// Lists: the bulk bar shows while rows are ticked, saying how many (without JavaScript it is
// always there).
const bulk = document.getElementById("bulk");
if (bulk) {
  const label = bulk.querySelector("label[for=bulk-action]");
  const update = () => {
    const ticked = document.querySelectorAll("input[name=ids][form=bulk]:checked").length;
    bulk.hidden = ticked === 0;
    if (label) label.textContent = say("js_with_selected", { n: ticked });
  };
  document.addEventListener("change", (event) => {
    if (event.target.matches("input[name=ids], input[data-select-all]")) update();
  });
  update();
}

// Inline edit on lists: Enter, F2 or a double click on a plain cell opens an input; Enter
// saves through the API (the same rules as the form), Esc cancels. A refusal stays in the
// cell with its reason. Without JavaScript the record's own form does the same.
const editable = document.querySelector("table.list[data-api]");
if (editable) {
  const open = (cell) => {
    if (cell.querySelector("input, select")) return;
    const before = cell.innerHTML;
    // A choice's options come as [value, words] pairs.
    const options = cell.dataset.options ? JSON.parse(cell.dataset.options) : null;
    const input = document.createElement(options ? "select" : "input");
    if (options) {
      input.add(new Option("—", ""));
      options.forEach(([value, words]) => input.add(new Option(words, value, false, value === cell.dataset.value)));
    } else {
      input.value = cell.dataset.value;
    }
    input.setAttribute("aria-label", cell.dataset.label);
    const error = document.createElement("span");
    error.className = "cell-error";
    error.setAttribute("role", "alert");
    cell.replaceChildren(input, error);
    input.focus();
    const close = (html) => {
      cell.innerHTML = html;
      cell.focus();
    };
    const save = async () => {
      if (input.value === cell.dataset.value) return close(before);
      const row = cell.closest("tr");
      const response = await fetch(editable.dataset.api + row.dataset.id, {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": editable.dataset.csrf },
        body: JSON.stringify({ [cell.dataset.edit]: input.value }),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        const e = answer.error || {};
        error.textContent = (e.fields && e.fields[cell.dataset.edit]) || e.message || say("js_not_saved");
        input.focus();
        return;
      }
      const saved = answer[cell.dataset.edit];
      cell.dataset.value = saved == null ? "" : String(saved);
      close("");
      const chosen = options && options.find(([value]) => value === cell.dataset.value);
      cell.textContent = (chosen ? chosen[1] : cell.dataset.value) || "—";
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        save();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close(before);
      }
    });
  };
  editable.addEventListener("dblclick", (event) => {
    // A double click on a link (mail, phone, web) follows the link; the cell's padding edits.
    const cell = event.target.closest("td[data-edit]");
    if (cell && !event.target.closest("a")) open(cell);
  });
  editable.addEventListener("keydown", (event) => {
    const cell = event.target;
    if ((event.key === "Enter" || event.key === "F2") && cell.matches && cell.matches("td[data-edit]")) {
      event.preventDefault();
      open(cell);
    }
  });
}

// Pickers: a link typed by name becomes a search-as-you-type list (ARIA combobox). Picking a
// record sets the hidden id; typing again clears it, so the server finds the name as it does
// without JavaScript.
document.querySelectorAll("input[data-picker]").forEach((input, n) => {
  const hidden = input.form && input.form.querySelector('input[type=hidden][name="' + input.name.replace(/\.name$/, "") + '"]');
  if (!hidden) return;
  const list = document.createElement("ul");
  list.id = "picker-" + n;
  list.className = "picker-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.after(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  let hits = [];
  let active = -1;
  let pending = 0;
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); };
  const render = () => {
    list.replaceChildren(...hits.map((hit, i) => {
      const li = document.createElement("li");
      li.id = list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === active));
      li.textContent = hit.title;
      const about = hit.detail || hit.snippet.replace(/[\u0002\u0003]/g, "");
      if (about && about !== hit.title) {
        const detail = document.createElement("span");
        detail.className = "muted";
        detail.textContent = " · " + about;
        li.append(detail);
      }
      li.addEventListener("mousedown", (e) => { e.preventDefault(); pick(i); });
      return li;
    }));
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    if (active >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + active); else input.removeAttribute("aria-activedescendant");
  };
  const pick = (i) => {
    if (!hits[i]) return;
    input.value = hits[i].title;
    hidden.value = hits[i].id;
    hits = [];
    close();
  };
  input.addEventListener("input", async () => {
    hidden.value = "";
    const text = input.value.trim();
    if (text.length < 2) { hits = []; render(); return; }
    const ticket = ++pending;
    const response = await fetch(input.dataset.search + "?limit=8&type=" + input.dataset.picker + "&q=" + encodeURIComponent(text), { credentials: "same-origin" });
    if (!response.ok || ticket !== pending) return;
    hits = (await response.json()).data;
    active = -1;
    render();
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { active = Math.min(active + 1, hits.length - 1); render(); event.preventDefault(); }
    else if (event.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); event.preventDefault(); }
    else if (event.key === "Enter" && active >= 0) { pick(active); event.preventDefault(); }
    else if (event.key === "Escape") { close(); event.preventDefault(); }
  });
  input.addEventListener("blur", close);
});

// List menus (filters, columns, saved views): one open at a time; a click elsewhere or
// Escape closes it. Without this file they open and close by their own button.
const menus = [...document.querySelectorAll("details.menu")];
if (menus.length) {
  menus.forEach((menu) => menu.addEventListener("toggle", () => {
    if (menu.open) menus.filter((m) => m !== menu).forEach((m) => { m.open = false; });
  }));
  document.addEventListener("click", (event) => {
    menus.filter((m) => m.open && !m.contains(event.target)).forEach((m) => { m.open = false; });
  });
  document.addEventListener("keydown", (event) => {
    const open = menus.find((m) => m.open);
    if (event.key === "Escape" && open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
}

// Settings → Pipelines: a stage's row drags to another place; the new order is saved at once
// (without this file, the arrow buttons move a stage one step at a time).
document.querySelectorAll("table.stages[data-order]").forEach((table) => {
  const body = table.tBodies[0];
  let dragged = null;
  body.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("tr[data-stage]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.setDragImage(dragged, 0, 0);
  });
  body.addEventListener("dragover", (event) => {
    const over = event.target.closest("tr[data-stage]");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    const below = event.clientY > over.getBoundingClientRect().top + over.offsetHeight / 2;
    body.insertBefore(dragged, below ? over.nextSibling : over);
  });
  body.addEventListener("dragend", async () => {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    const form = new URLSearchParams({ csrf: table.dataset.csrf });
    body.querySelectorAll("tr[data-stage]").forEach((row) => form.append("stages", row.dataset.stage));
    const saved = await fetch(table.dataset.order, { method: "POST", body: form, credentials: "same-origin" });
    // The page as the server has it now: its arrows and the board follow the new order.
    window.location.assign(saved.ok ? saved.url : window.location.href);
  });
});

// The booking page: where the visitor's own zone is not the business's, each free time also
// shows in theirs, in brackets.
const bookingZone = document.querySelector("[data-booking-zone]");
const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (bookingZone && visitorZone && visitorZone !== bookingZone.dataset.bookingZone) {
  const clock = new Intl.DateTimeFormat(document.documentElement.lang, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: visitorZone,
  });
  document.querySelectorAll("button[data-at]").forEach((button) => {
    const local = document.createElement("span");
    local.className = "local-time";
    local.textContent = `(${clock.format(new Date(button.dataset.at))})`;
    button.append(" ", local);
  });
  bookingZone.append(" " + bookingZone.dataset.alsoYours.replace("{zone}", visitorZone));
}

// A receipt's Print button (without JavaScript the browser's own print does the same).
document.querySelectorAll("[data-print]").forEach((b) => {
  document.documentElement.classList.add("js");
  b.addEventListener("click", () => window.print());
});

// The inbox. In a list, j and k move between conversations and Enter opens one; on a
// conversation, r and n go to the reply and the note editor and e resolves. Keys typed into a
// field are the field's own.
const typingInField = (event) =>
  event.target.closest("input, textarea, select, [contenteditable]") || event.ctrlKey || event.metaKey || event.altKey;
const inboxList = document.querySelector("[data-keys='list']");
const keyed = document.querySelectorAll("[data-key]");
if (inboxList || keyed.length) {
  document.documentElement.classList.add("js");
  document.addEventListener("keydown", (event) => {
    if (typingInField(event)) return;
    if (inboxList && (event.key === "j" || event.key === "k")) {
      const links = [...inboxList.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      const next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
      if (links[next]) { links[next].focus(); event.preventDefault(); }
      return;
    }
    const target = document.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "TEXTAREA") target.focus(); else target.click();
  });
}

// The reply editor: `/shortcut` at the start of a line, then Tab or Enter, puts that canned
// reply (already written out for this conversation) in its place.
const replyForm = document.querySelector("form[data-canned]");
if (replyForm) {
  const canned = new Map(JSON.parse(replyForm.dataset.canned || "[]"));
  const editor = replyForm.querySelector("textarea");
  editor.addEventListener("keydown", (event) => {
    if (event.key !== "Tab" && event.key !== "Enter") return;
    const before = editor.value.slice(0, editor.selectionStart);
    const line = before.slice(before.lastIndexOf("\n") + 1);
    const match = /^\/([\w-]+)$/.exec(line);
    const body = match && canned.get(match[1].toLowerCase());
    if (!body) return;
    event.preventDefault();
    const start = before.length - line.length;
    editor.setRangeText(body, start, editor.selectionStart, "end");
  });
}

// Someone else on this conversation: every 10 seconds the page says it is open here (and
// whether a reply is being typed) and shows who else has it open. A message that came in since
// the page was made is announced, so nobody answers without reading it (the server holds such
// a reply back too).
const presence = document.querySelector("[data-presence]");
if (presence && replyForm) {
  const csrf = replyForm.querySelector("input[name=csrf]").value;
  const seen = Number(replyForm.querySelector("input[name=last_seen]").value);
  let typedAt = 0;
  replyForm.querySelector("textarea").addEventListener("input", () => { typedAt = Date.now(); });
  const tell = async () => {
    const typing = Date.now() - typedAt < 10000 ? "1" : "0";
    const body = new URLSearchParams({ csrf, typing });
    try {
      const answer = await fetch(presence.dataset.presence, { method: "POST", body, credentials: "same-origin" });
      if (!answer.ok) return;
      const state = await answer.json();
      const lines = state.others.slice();
      if (state.newest_in > seen) lines.push(say("js_newer_message"));
      presence.replaceChildren(...lines.map((text) => {
        const p = document.createElement("p");
        p.className = "muted small";
        p.textContent = text;
        return p;
      }));
    } catch (_) {
      // Offline for a moment: the next round tries again.
    }
  };
  setTimeout(tell, 2000);
  setInterval(tell, 10000);
}
