import ChatOpsCore
import Testing

@Suite("TemplateRenderer")
struct TemplateTests {
    @Test func rendersVariables() throws {
        #expect(try TemplateRenderer.render("{{model}}@{{env}}", values: ["model": "fraud", "env": "prod"]) == "fraud@prod")
    }

    @Test func doesNotEscapeHTML() throws {
        let text = #"<b>a & b</b> "quoted" 'single'"#
        #expect(try TemplateRenderer.render("{{value}}", values: ["value": text]) == text)
        #expect(try TemplateRenderer.render("{{{value}}}", values: ["value": text]) == text)
    }

    @Test func missingVariablesRenderEmpty() throws {
        #expect(try TemplateRenderer.render("[{{canary}}]", values: [:]) == "[]")
    }

    @Test func sectionsRenderOnlyWhenTheValueIsPresent() throws {
        let template = "deploy{{#canary}} --canary {{canary}}{{/canary}}"
        #expect(try TemplateRenderer.render(template, values: ["canary": "10"]) == "deploy --canary 10")
        #expect(try TemplateRenderer.render(template, values: [:]) == "deploy")
    }

    @Test func brokenTemplatesThrowWithALine() {
        let error = #expect(throws: TemplateRenderer.TemplateError.self) {
            try TemplateRenderer.compile("line one\n{{#canary}} never closed")
        }
        #expect(error?.message.hasPrefix("template error") == true)
        #expect(error?.line != nil)
    }

    @Test func compileAcceptsGoodTemplates() throws {
        _ = try TemplateRenderer.compile("{{#a}}{{b}}{{/a}}{{^c}}none{{/c}}")
    }

    @Test func variablesFindsEveryKindOfTag() {
        #expect(TemplateRenderer.variables(in: "{{model}}@{{ env }}") == ["model", "env"])
        #expect(TemplateRenderer.variables(in: "{{#canary}}x{{/canary}}{{^quiet}}y{{/quiet}}") == ["canary", "quiet"])
        #expect(TemplateRenderer.variables(in: "{{{raw}}} {{&amp}}") == ["raw", "amp"])
        #expect(TemplateRenderer.variables(in: "{{owner.name}}") == ["owner"])
    }

    @Test func variablesIgnoresCommentsPartialsPragmasAndDot() {
        #expect(TemplateRenderer.variables(in: "{{! a comment }}{{> partial}}{{%PRAGMA}}{{.}}").isEmpty)
        #expect(TemplateRenderer.variables(in: "plain text {{ unclosed").isEmpty)
        #expect(TemplateRenderer.variables(in: "").isEmpty)
    }
}
