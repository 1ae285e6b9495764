extension ConsoleAssets {
    /// The operations page: pending approvals, recent commands, health, schedules, the queue and the
    /// audit log, each a section with a heading and a table.
    static let operationsPage = document(title: "ChatOps operations", script: "ops.js", current: "/console/ops", body: operationsBody)

    /// The operations page after its links: when it was updated, then a section for each view.
    static let operationsBody = #"""
          <span id="updated" class="live" aria-live="off"></span>
        </header>
        <main class="operations">
          <p id="problem" class="problem" role="alert"></p>
          <section aria-labelledby="approvals-title"><h2 id="approvals-title">Pending approvals</h2><div id="approvals"></div></section>
          <section aria-labelledby="commands-title"><h2 id="commands-title">Recent commands</h2><div id="commands"></div></section>
          <section aria-labelledby="health-title"><h2 id="health-title">Health</h2><p id="health-note" class="hint"></p><div id="health"></div></section>
          <section aria-labelledby="schedules-title"><h2 id="schedules-title">Schedules</h2><div id="schedules"></div></section>
          <section aria-labelledby="queue-title"><h2 id="queue-title">Queue</h2><p id="queue"></p></section>
          <section aria-labelledby="audit-title"><h2 id="audit-title">Audit log</h2><p id="chain"></p><div id="audit"></div></section>
        </main>
        </body>
        </html>
        """#
}
