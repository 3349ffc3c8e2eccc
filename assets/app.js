// Onebox: small enhancements. Every page works without this file.
"use strict";

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
    button.textContent = "Copied";
  });
});

// Deal board: drag a card onto another column to move the deal. It posts the same form the
// card offers without JavaScript; a lost stage asks for the reason.
const board = document.querySelector(".board[data-csrf]");
if (board) {
  document.documentElement.classList.add("js");
  let dragged = null;
  board.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("li.card");
    if (dragged) dragged.classList.add("dragging");
  });
  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    board.querySelectorAll(".column.drop").forEach((c) => c.classList.remove("drop"));
  });
  board.querySelectorAll(".column").forEach((column) => {
    column.addEventListener("dragover", (event) => {
      event.preventDefault();
      column.classList.add("drop");
    });
    column.addEventListener("dragleave", () => column.classList.remove("drop"));
    column.addEventListener("drop", async (event) => {
      event.preventDefault();
      column.classList.remove("drop");
      if (!dragged || dragged.closest(".column") === column) return;
      const body = new URLSearchParams({ csrf: board.dataset.csrf, stage_id: column.dataset.stage });
      if (column.dataset.kind === "lost") {
        const reason = window.prompt("Why was this deal lost?");
        if (!reason) return;
        body.set("lost_reason", reason);
      }
      const response = await fetch(board.dataset.move + dragged.dataset.deal + "/stage", { method: "POST", body, credentials: "same-origin" });
      if (response.ok) window.location.reload();
    });
  });
}
