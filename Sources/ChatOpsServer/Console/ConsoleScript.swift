extension ConsoleAssets {
    /// The chat page: sends messages and button clicks as the chosen person, and follows the
    /// transcript's event stream, replacing a message in place when it is edited (progress, streamed
    /// summaries, approval cards). Everything shown is set as text, never as markup.
    static let script = #"""
        "use strict";
        const channel = "console";
        const state = { directory: null, following: false, nodes: new Map(), threads: new Map() };

        function signedInWithTokens() { return state.directory && state.directory.sign_in === "tokens"; }

        function sender() { return signedInWithTokens() ? undefined : byId("person").value; }

        function renderReply(message) {
          const reply = message.reply;
          const node = element("article", "message tone-" + reply.tone);
          node.dataset.id = message.id;
          node.append(element("header", null, message.author));
          if (reply.title) node.append(element("h3", null, reply.title));
          if (reply.text) node.append(element("p", "text", reply.text));
          // A series drawn as a chart is not listed again as a field of sparkline characters.
          const charted = new Set((reply.series || []).map((series) => series.name));
          const fields = (reply.fields || []).filter((field) => !charted.has(field.name));
          if (fields.length) {
            const list = element("dl");
            for (const field of fields) { list.append(element("dt", null, field.name), element("dd", null, field.value)); }
            node.append(list);
          }
          if (reply.series && reply.series.length) {
            const charts = element("div", "charts");
            for (const series of reply.series) charts.append(chart(series));
            node.append(charts);
          }
          if (reply.table && reply.table.length) node.append(tableOf(reply.table[0], reply.table.slice(1)));
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

        /// Shows a new message in its thread, or an edited one in place, keeping the focus on the
        /// button that had it.
        function place(message) {
          const node = renderReply(message);
          const old = state.nodes.get(message.id);
          state.nodes.set(message.id, node);
          if (old) {
            const hadFocus = old.contains(document.activeElement);
            const focused = hadFocus ? document.activeElement.textContent : null;
            old.replaceWith(node);
            const again = focused && [...node.querySelectorAll("button")].find((button) => button.textContent === focused);
            // A button that is gone (a decided request) leaves the focus on its message, not lost.
            if (again) again.focus(); else if (hadFocus) { node.tabIndex = -1; node.focus(); }
            return;
          }
          const root = message.thread || String(message.id);
          let thread = state.threads.get(root);
          if (!thread) {
            thread = element("section", "thread");
            thread.dataset.thread = root;
            state.threads.set(root, thread);
            byId("transcript").append(thread);
          }
          if (String(message.id) === root) { thread.prepend(node); return; }
          let replies = thread.querySelector(".replies");
          if (!replies) { replies = element("div", "replies"); thread.append(replies); }
          replies.append(node);
        }

        function show(messages) {
          const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
          for (const message of messages) place(message);
          if (atBottom && messages.length) window.scrollTo(0, document.body.scrollHeight);
        }

        function forget() {
          state.nodes.clear();
          state.threads.clear();
          byId("transcript").replaceChildren();
        }

        /// Reads the transcript's server-sent events through fetch, which can send the token in a
        /// header (EventSource cannot). The first event holds everything; later ones what changed.
        async function follow() {
          while (state.following) {
            try {
              const response = await fetch("/chat/events?channel=" + channel, { headers: headers(), cache: "no-store" });
              if (response.status === 401) { state.following = false; problem("Your token was not accepted: enter it again."); return; }
              if (!response.ok) throw new Error("the live updates stopped (" + response.status + ")");
              forget();
              problem("");
              byId("live").textContent = "live";
              const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
              let buffer = "";
              for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                buffer += value;
                let end;
                while ((end = buffer.indexOf("\n\n")) >= 0) {
                  const data = buffer.slice(0, end).split("\n").filter((line) => line.startsWith("data: ")).map((line) => line.slice(6)).join("\n");
                  buffer = buffer.slice(end + 2);
                  if (data) show(JSON.parse(data));
                }
              }
            } catch (error) {
              problem(error.message);
            }
            byId("live").textContent = "reconnecting …";
            if (state.following) await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }

        function startFollowing() {
          if (state.following) return;
          state.following = true;
          follow();
        }

        function newID() { return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + String(Math.random()).slice(2); }

        async function click(message, button) {
          problem("");
          try {
            await call("/chat/actions", {
              user: sender(), channel, thread: message.thread || String(message.id), action: button.kind, value: button.value, id: newID(),
            });
          } catch (error) {
            problem(error.message);
          }
        }

        /// The command named by the first typed word (with or without a leading slash), if any.
        function typedCommand(word) {
          const name = (word || "").replace(/^\//, "").toLowerCase();
          return ((state.directory && state.directory.commands) || []).find((candidate) => candidate.name === name);
        }

        function showHint() {
          const command = typedCommand(byId("text").value.trim().split(/\s+/)[0]);
          if (!command) { byId("hint").textContent = ""; return; }
          const choices = command.args.filter((argument) => argument.values).map((argument) => argument.name + ": " + argument.values.join(" | "));
          byId("hint").textContent = command.usage + (choices.length ? " — " + choices.join("; ") : "") + " — " + command.summary;
        }

        /// What may come next where the text ends, read as the bot binds arguments: bare words fill the
        /// positional arguments in order; `--name value`, `--name=value` and `name=value` fill that one;
        /// `--flag` and `--no-flag` set a boolean. Offers a named argument's choices, the next positional
        /// one's, or the names not used yet.
        function nextWords(command, done, partial) {
          const argument = (name) => command.args.find((candidate) => candidate.name === name)
            || (name.startsWith("no-") && command.args.find((candidate) => candidate.name === name.slice(3) && candidate.type === "boolean"));
          const used = new Set();
          let awaiting = null, filled = 0;
          for (const word of done.slice(1)) {
            if (awaiting) { used.add(awaiting.name); awaiting = null; continue; }
            const long = word.startsWith("--") && word.length > 2 ? word.slice(2) : null;
            const equals = (long || word).indexOf("=");
            const name = long !== null ? (equals >= 0 ? long.slice(0, equals) : long) : equals > 0 ? word.slice(0, equals) : null;
            const named = name && argument(name);
            if (named) {
              used.add(named.name);
              if (long !== null && equals < 0 && named.type !== "boolean") awaiting = named;
            } else {
              filled++;
            }
          }
          if (awaiting) return awaiting.values || [];
          const flags = command.args.filter((candidate) => !used.has(candidate.name)).map((candidate) => "--" + candidate.name);
          if (partial.startsWith("-")) return flags;
          const next = command.args.filter((candidate) => candidate.positional && !used.has(candidate.name))[filled];
          return next ? next.values || [] : flags;
        }

        /// Whole-line completions of what is typed: command names first, then the next argument.
        function offerCompletions() {
          const commands = state.directory.commands || [];
          const words = byId("text").value.replace(/^\s+/, "").split(/\s+/);
          const slash = words[0].startsWith("/") ? "/" : "";
          let options = commands.map((command) => ({ value: slash + command.name, label: command.usage }));
          if (words.length > 1) {
            const command = typedCommand(words[0]);
            const done = words.slice(0, -1), partial = words[words.length - 1];
            options = command ? nextWords(command, done, partial).filter((word) => word.startsWith(partial))
              .map((word) => ({ value: done.join(" ") + " " + word, label: word })) : [];
          }
          byId("commands").replaceChildren(...options.slice(0, 30).map((choice) => {
            const option = document.createElement("option");
            option.value = choice.value;
            option.label = choice.label;
            return option;
          }));
        }

        async function signIn() {
          sessionStorage.setItem("chatops-token", byId("token").value);
          try {
            state.directory = await call("/console/directory");
            problem("");
            offerCompletions();
            startFollowing();
          } catch (error) {
            problem(error.status === 401 ? "Your token was not accepted." : error.message);
          }
        }

        async function send(event) {
          event.preventDefault();
          problem("");
          const text = byId("text").value.trim();
          const button = byId("composer").querySelector("button[type=submit]");
          if (!text || button.disabled) return;
          button.disabled = true;
          try {
            // One id per message: a repeated post of it is not run twice.
            await call("/chat/messages", { user: sender(), channel, text, id: newID() });
            byId("text").value = "";
            showHint();
          } catch (error) {
            problem(error.message);
          } finally {
            button.disabled = false;
          }
        }

        async function start() {
          state.directory = await call("/console/directory");
          if (signedInWithTokens()) {
            byId("person").hidden = true;
            byId("person-label").hidden = true;
            byId("token").hidden = false;
            byId("token-label").hidden = false;
            byId("token").value = storedToken();
            byId("token").addEventListener("change", signIn);
            if (byId("token").value) await signIn();
          } else {
            for (const person of state.directory.people) byId("person").add(new Option(person, person));
            const saved = sessionStorage.getItem("chatops-person");
            if (saved && state.directory.people.includes(saved)) byId("person").value = saved;
            byId("person").addEventListener("change", () => sessionStorage.setItem("chatops-person", byId("person").value));
            offerCompletions();
            startFollowing();
          }
          byId("text").addEventListener("input", () => { showHint(); offerCompletions(); });
          byId("composer").addEventListener("submit", send);
        }

        document.addEventListener("DOMContentLoaded", () => start().catch((error) => problem(error.message)));
        """#
}
