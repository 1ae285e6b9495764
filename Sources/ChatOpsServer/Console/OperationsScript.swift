extension ConsoleAssets {
    /// Fills the operations page from `/console/operations` every few seconds, one request at a time.
    static let operationsScript = #"""
        "use strict";

        /// A table of `rows` in the element `id`, or `empty` when there are none.
        function table(id, caption, columns, rows, empty) {
          byId(id).replaceChildren(rows.length ? tableOf(columns, rows, caption) : element("p", "hint", empty));
        }

        function badge(text, tone) { return element("span", "badge " + tone, text); }

        function stateTone(state) {
          if (state === "succeeded" || state === "approved") return "ok";
          if (["failed", "denied", "rejected", "expired", "locked", "not run"].includes(state)) return "bad";
          return "wait";
        }

        function duration(ms) { return ms === null || ms === undefined ? "–" : ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s"; }

        function show(snapshot) {
          table("approvals", "Pending approvals", ["Request", "Command", "Requested by", "Approvers", "Who may approve", "Approved by", "Expires", "Evidence"],
            snapshot.approvals.map((a) => [a.id, a.command, a.requester, a.approvers, a.may_approve.join(", ") || "nobody", a.approved_by.join(", ") || "–",
              timeCell(a.expires_at), a.evidence]), "Nothing is waiting for approval.");
          table("commands", "Recent commands", ["When", "Who", "Command", "Outcome", "Took", "Result"],
            snapshot.commands.map((c) => [timeCell(c.at), c.actor, c.command, badge(c.state, stateTone(c.state)), duration(c.duration_ms), c.headline]),
            "No command has run yet.");
          byId("health-note").textContent = "Calls this process made since " + new Date(snapshot.health.since).toLocaleString() + ".";
          table("health", "Health", ["Kind", "Name", "Calls", "Last success", "Last error", "Why", "Circuit"],
            snapshot.health.components.map((h) => [h.kind, h.name, h.calls + (h.failures ? " (" + h.failures + " failed)" : ""),
              timeCell(h.last_success), timeCell(h.last_error), h.last_error_text,
              h.circuit ? (h.circuit.open ? badge("open until " + relative(h.circuit.open_until), "bad")
                : badge("closed" + (h.circuit.failures_in_a_row ? ", " + h.circuit.failures_in_a_row + " failed in a row" : ""), "ok")) : "–"]),
            "Nothing is configured.");
          table("schedules", "Schedules", ["Name", "When", "Command", "Channel", "Last firing", "Next firing", "Last result"],
            snapshot.schedules.map((s) => [s.name, s.cron + " (" + s.time_zone + ")", s.command, s.channel, timeCell(s.last_firing), timeCell(s.next_firing),
              s.last_result ? s.last_result + (s.last_headline ? ": " + s.last_headline : "") : "–"]), "No schedules are configured.");
          byId("queue").textContent = snapshot.queue.depth + " job" + (snapshot.queue.depth === 1 ? "" : "s") + " waiting or running" +
            (snapshot.queue.workers.length ? "; workers holding jobs: " + snapshot.queue.workers.join(", ") : "") + ".";
          const audit = snapshot.audit;
          byId("chain").replaceChildren(audit.intact ? badge("chain intact", "ok") : badge("chain broken", "bad"),
            document.createTextNode(" " + audit.events + " events" + (audit.problem ? ": " + audit.problem : "")));
          table("audit", "Newest audit events", ["#", "When", "Kind", "Actor", "Subject", "Details"],
            audit.recent.map((e) => [e.sequence, timeCell(e.at), e.kind, e.actor, e.subject,
              Object.keys(e.details).sort().map((key) => key + "=" + e.details[key]).join(" · ")]), "The audit log is empty.");
          byId("updated").textContent = "updated " + new Date(snapshot.generated_at).toLocaleTimeString();
        }

        // One request at a time: the next starts after the last answer.
        async function refresh() {
          try {
            show(await call("/console/operations"));
            problem("");
          } catch (error) {
            if (error.status === 401) { problem("Sign in with your token on the chat page first."); return; }
            if (error.status === 403) { problem(error.message); return; }
            problem(error.message);
          }
          setTimeout(refresh, 3000);
        }

        document.addEventListener("DOMContentLoaded", refresh);
        """#
}
