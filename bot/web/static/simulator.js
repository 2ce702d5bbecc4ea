// The simulator page: sends what the resident types to the JSON API and shows the replies.
// Every text is put in the page with textContent, never parsed as HTML: resident and bot text
// are untrusted.
"use strict";

(function () {
  const ADDRESS_KEY = "switchboard-simulator-address";
  const form = document.getElementById("compose");
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send");
  const transcript = document.getElementById("transcript");
  const statusLine = document.getElementById("status");
  const residentId = document.getElementById("resident-id");
  const newResident = document.getElementById("new-resident");
  const endpoint = form.getAttribute("action");
  let busy = false;

  function freshAddress() {
    const bytes = new Uint8Array(6);
    window.crypto.getRandomValues(bytes);
    const id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    sessionStorage.setItem(ADDRESS_KEY, id);
    return id;
  }

  let address = sessionStorage.getItem(ADDRESS_KEY) || freshAddress();
  residentId.textContent = address;

  function style() {
    const checked = form.querySelector('input[name="channel"]:checked');
    return checked ? checked.value : "sms";
  }

  function addEntry(kind, speaker, text, language) {
    const item = document.createElement("li");
    item.className = "msg " + kind;
    const who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = speaker + ": ";
    const body = document.createElement("p");
    body.className = "text";
    body.dir = "auto";
    if (language && /^[a-z]{2,3}$/.test(language)) {
      body.lang = language;
    }
    body.textContent = text;
    item.append(who, body);
    transcript.appendChild(item);
    return item;
  }

  function addMeta(item, text) {
    const meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = text;
    item.appendChild(meta);
  }

  function addButtons(item, choices, language) {
    const group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Reply buttons");
    for (const choice of choices) {
      const button = document.createElement("button");
      button.type = "button";
      if (language && /^[a-z]{2,3}$/.test(language)) {
        button.lang = language;
      }
      button.textContent = String(choice.label);
      button.addEventListener("click", () => send(String(choice.label), String(choice.value)));
      group.appendChild(button);
    }
    item.appendChild(group);
  }

  function showReply(reply, shownAs, language) {
    const item = addEntry("bot", "Bot", String(reply.text), language);
    if (shownAs === "sms" && reply.segments !== null) {
      const parts = reply.segments === 1 ? "1 segment" : reply.segments + " segments";
      addMeta(item, "SMS: " + parts + ", " + reply.encoding);
    }
    if (Array.isArray(reply.choices) && reply.choices.length > 0) {
      addButtons(item, reply.choices, language);
    }
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    statusLine.textContent = value ? "Waiting for the bot…" : "";
  }

  async function send(text, choice) {
    if (busy) {
      return;
    }
    const shownAs = style();
    addEntry("you", "You", choice === null ? text : "[" + text + "]", null);
    setBusy(true);
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ channel: shownAs, address: address, text: text, choice: choice }),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw new Error(data.error || "HTTP " + response.status);
      }
      for (const reply of data.replies || []) {
        showReply(reply, shownAs, data.language);
      }
    } catch (error) {
      addEntry("error", "Problem", "The bot did not answer: " + error.message, null);
    } finally {
      setBusy(false);
      transcript.lastElementChild?.scrollIntoView({ block: "end" });
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) {
      return;
    }
    input.value = "";
    send(text, null);
  });

  newResident.addEventListener("click", () => {
    address = freshAddress();
    residentId.textContent = address;
    transcript.replaceChildren();
    statusLine.textContent = "New resident " + address + ": the bot has never heard from them.";
    input.focus();
  });
})();
