extension ConsoleAssets {
    /// Talks to the web chat's API: sends messages and button clicks as the chosen person, and
    /// redraws the conversation when a message arrives or is edited (progress, streamed summaries).
    /// Everything shown is set as text, never as markup.
    static let script = #"""
        "use strict";
        const channel = "console";
        const state = { directory: null, seen: "", polling: false };
        const byId = (id) => document.getElementById(id);

        function signedInWithTokens() { return state.directory && state.directory.sign_in === "tokens"; }

        function headers() {
          const fields = { "Content-Type": "application/json" };
          const token = sessionStorage.getItem("chatops-token");
          if (signedInWithTokens() && token) fields["Authorization"] = "Bearer " + token;
          return fields;
        }

        async function call(path, body) {
          const response = await fetch(path, body === undefined
            ? { headers: headers(), cache: "no-store" }
            : { method: "POST", headers: headers(), body: JSON.stringify(body) });
          const text = await response.text();
          if (!response.ok) {
            let message = text || response.statusText;
            try { message = JSON.parse(text).error.message || message; } catch (ignored) { /* not JSON: the text as it is */ }
            const failure = new Error(message);
            failure.status = response.status;
            throw failure;
          }
          return text ? JSON.parse(text) : null;
        }

        function element(tag, className, text) {
          const node = document.createElement(tag);
          if (className) node.className = className;
          if (text !== undefined && text !== null) node.textContent = text;
          return node;
        }

        function sender() { return signedInWithTokens() ? undefined : byId("person").value; }

        function sparkline(values) {
          const bars = "▁▂▃▄▅▆▇█";
          if (!values.length) return "";
          const low = Math.min(...values), high = Math.max(...values);
          return values.map((value) => bars[high === low ? 3 : Math.round((value - low) / (high - low) * 7)]).join("");
        }

        function renderReply(message) {
          const reply = message.reply;
          const node = element("article", "message tone-" + reply.tone);
          node.dataset.id = message.id;
          node.append(element("header", null, message.author));
          if (reply.title) node.append(element("h3", null, reply.title));
          if (reply.text) node.append(element("p", "text", reply.text));
          if (reply.fields && reply.fields.length) {
            const list = element("dl");
            for (const field of reply.fields) { list.append(element("dt", null, field.name), element("dd", null, field.value)); }
            node.append(list);
          }
          if (reply.series && reply.series.length) {
            const list = element("dl", "series");
            for (const series of reply.series) {
              const last = series.values.length ? series.values[series.values.length - 1] : "–";
              list.append(element("dt", null, series.name), element("dd", null, sparkline(series.values) + " " + last + " " + (series.unit || "")));
            }
            node.append(list);
          }
          if (reply.table && reply.table.length) {
            const wrapper = element("div", "table"), table = element("table"), head = element("thead"), body = element("tbody");
            const header = element("tr");
            for (const cell of reply.table[0]) header.append(element("th", null, cell));
            head.append(header);
            for (const row of reply.table.slice(1)) {
              const line = element("tr");
              for (const cell of row) line.append(element("td", null, cell));
              body.append(line);
            }
            table.append(head, body);
            wrapper.append(table);
            node.append(wrapper);
          }
          if (reply.buttons && reply.buttons.length) {
            const row = element("div", "buttons");
            for (const button of reply.buttons) {
              const label = button.label.charAt(0).toUpperCase() + button.label.slice(1);
              const control = element("button", button.kind, label);
              control.type = "button";
              control.setAttribute("aria-label", label + " " + (reply.title || reply.text || "this request"));
              control.addEventListener("click", () => click(message, button));
              row.append(control);
            }
            node.append(row);
          }
          const note = reply.modelNote;
          if (note) {
            node.append(element("p", "note", "Summary written by the language model " + note.model + (note.writing ? " (still writing)" : "")));
            node.append(element("p", "text", note.text));
          }
          if (reply.footer) node.append(element("p", "footer", reply.footer));
          return node;
        }

        function render(messages) {
          const signature = messages.map((message) => message.id + "@" + message.updated_at).join(",");
          if (signature === state.seen) return;
          state.seen = signature;
          const transcript = byId("transcript");
          const threads = new Map();
          for (const message of messages) {
            const root = message.thread || String(message.id);
            if (!threads.has(root)) threads.set(root, []);
            threads.get(root).push(message);
          }
          const nodes = [];
          for (const [root, list] of threads) {
            const thread = element("section", "thread");
            thread.dataset.thread = root;
            const first = list.find((message) => String(message.id) === root) || list[0];
            thread.append(renderReply(first));
            const replies = element("div", "replies");
            for (const message of list) if (message !== first) replies.append(renderReply(message));
            if (replies.childElementCount) thread.append(replies);
            nodes.push(thread);
          }
          const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
          transcript.replaceChildren(...nodes);
          if (atBottom) window.scrollTo(0, document.body.scrollHeight);
        }

        function problem(text) { byId("problem").textContent = text || ""; }

        function newID() { return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + String(Math.random()).slice(2); }

        async function refresh() {
          try {
            render(await call("/chat/messages?channel=" + channel + "&limit=1000"));
            if (state.pollFailed) { state.pollFailed = false; problem(""); }
          } catch (error) {
            state.pollFailed = true;
            problem(error.message);
            if (error.status === 401) { state.polling = false; problem("Your token was not accepted: enter it again."); }
          }
        }

        // One request at a time: the next starts after the last answer, so answers never arrive out of order.
        async function poll() {
          if (!state.polling) return;
          await refresh();
          if (state.polling) setTimeout(poll, 700);
        }

        function startPolling() {
          if (state.polling) return;
          state.polling = true;
          poll();
        }

        async function click(message, button) {
          problem("");
          try {
            await call("/chat/actions", {
              user: sender(), channel, thread: message.thread || String(message.id), action: button.kind, value: button.value, id: newID(),
            });
            refresh();
          } catch (error) {
            problem(error.message);
          }
        }

        function showHint() {
          const words = byId("text").value.trim().split(/\s+/);
          const name = (words[0] || "").replace(/^\//, "").toLowerCase();
          const command = state.directory && state.directory.commands.find((candidate) => candidate.name === name);
          if (!command) { byId("hint").textContent = ""; return; }
          const choices = command.args.filter((argument) => argument.values).map((argument) => argument.name + ": " + argument.values.join(" | "));
          byId("hint").textContent = command.usage + (choices.length ? " — " + choices.join("; ") : "") + " — " + command.summary;
        }

        function offerCommands() {
          byId("commands").replaceChildren();
          for (const command of state.directory.commands || []) {
            const option = document.createElement("option");
            option.value = command.name;
            option.label = command.usage;
            byId("commands").append(option);
          }
        }

        async function signIn() {
          sessionStorage.setItem("chatops-token", byId("token").value);
          try {
            state.directory = await call("/console/directory");
            problem("");
            offerCommands();
            startPolling();
          } catch (error) {
            problem(error.status === 401 ? "Your token was not accepted." : error.message);
          }
        }

        async function start() {
          state.directory = await call("/console/directory");
          if (signedInWithTokens()) {
            byId("person").hidden = true;
            byId("person-label").hidden = true;
            byId("token").hidden = false;
            byId("token-label").hidden = false;
            byId("token").value = sessionStorage.getItem("chatops-token") || "";
            byId("token").addEventListener("change", signIn);
            if (byId("token").value) await signIn();
          } else {
            for (const person of state.directory.people) byId("person").add(new Option(person, person));
            const saved = sessionStorage.getItem("chatops-person");
            if (saved && state.directory.people.includes(saved)) byId("person").value = saved;
            byId("person").addEventListener("change", () => sessionStorage.setItem("chatops-person", byId("person").value));
            offerCommands();
            startPolling();
          }
          byId("text").addEventListener("input", showHint);
          byId("composer").addEventListener("submit", async (event) => {
            event.preventDefault();
            problem("");
            const text = byId("text").value.trim();
            const send = byId("composer").querySelector("button[type=submit]");
            if (!text || send.disabled) return;
            send.disabled = true;
            try {
              // One id per message: a repeated post of it is not run twice.
              await call("/chat/messages", { user: sender(), channel, text, id: newID() });
              byId("text").value = "";
              showHint();
              refresh();
            } catch (error) {
              problem(error.message);
            } finally {
              send.disabled = false;
            }
          });
        }

        document.addEventListener("DOMContentLoaded", () => start().catch((error) => problem(error.message)));
        """#
}
