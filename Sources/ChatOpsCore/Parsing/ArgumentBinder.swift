import Foundation

/// Binds the words after a command name to the command's declared arguments.
struct ArgumentBinder {
    let spec: CommandSpec

    func bind(_ words: [String]) throws(ParseError) -> Invocation {
        var raw: [String: String] = [:]
        var positional = spec.args.filter(\.isPositional)
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if let (name, inlineValue) = namedForm(word) {
                let argument = try lookup(name)
                if let inlineValue {
                    raw[argument.name] = inlineValue
                } else if argument.type == .boolean {
                    raw[argument.name] = name.hasPrefix("no-") && argument.name != name ? "false" : "true"
                } else if index < words.count {
                    raw[argument.name] = words[index]
                    index += 1
                } else {
                    throw error(.missingArgument, "`--\(argument.name)` needs a value.", argument.values ?? [])
                }
                positional.removeAll { $0.name == argument.name }
            } else {
                guard !positional.isEmpty else {
                    throw error(.tooManyArguments, "`\(word)` is one argument too many.", [])
                }
                raw[positional.removeFirst().name] = word
            }
        }
        var values: [String: ArgumentValue] = [:]
        for argument in spec.args {
            guard let text = raw[argument.name] ?? argument.defaultValue else {
                if argument.isRequired {
                    throw error(.missingArgument, "`\(argument.name)` is missing.", argument.values ?? [])
                }
                continue
            }
            do {
                values[argument.name] = try argument.parseValue(text)
            } catch {
                throw self.error(.invalidValue, error.message, error.suggestions)
            }
        }
        return Invocation(command: spec.name, arguments: values, displayText: display(values))
    }

    /// Positional arguments in order, then the named ones: `deploy fraud v12 --env prod`.
    private func display(_ values: [String: ArgumentValue]) -> String {
        var words = [spec.name]
        for argument in spec.args where argument.isPositional {
            if let value = values[argument.name] { words.append(Invocation.quoted(value.typedForm)) }
        }
        for argument in spec.args where !argument.isPositional {
            guard let value = values[argument.name] else { continue }
            words.append(
                argument.type == .boolean
                    ? (value == .boolean(true) ? "--\(argument.name)" : "--no-\(argument.name)")
                    : "--\(argument.name) \(Invocation.quoted(value.typedForm))")
        }
        return words.joined(separator: " ")
    }

    /// Recognises `--name value`, `--name=value`, `--no-flag` and `name=value`.
    private func namedForm(_ word: String) -> (String, String?)? {
        if word.hasPrefix("--"), word.count > 2 {
            let body = word.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                return (String(body[..<equals]), String(body[body.index(after: equals)...]))
            }
            return (String(body), nil)
        }
        if let equals = word.firstIndex(of: "="), equals != word.startIndex {
            let name = String(word[..<equals])
            if spec.argument(named: name) != nil { return (name, String(word[word.index(after: equals)...])) }
        }
        return nil
    }

    private func lookup(_ name: String) throws(ParseError) -> ArgumentSpec {
        if let argument = spec.argument(named: name) { return argument }
        if name.hasPrefix("no-"), let argument = spec.argument(named: String(name.dropFirst(3))), argument.type == .boolean {
            return argument
        }
        let names = spec.args.map(\.name)
        let close = EditDistance.closest(to: name, among: names)
        let hint = close.isEmpty ? "" : " Did you mean " + close.map { "`--\($0)`" }.joined(separator: ", ") + "?"
        throw error(.unknownArgument, "`\(spec.name)` has no option `--\(name)`.\(hint)", close)
    }

    private func error(_ kind: ParseError.Kind, _ message: String, _ suggestions: [String]) -> ParseError {
        ParseError(kind: kind, message: "\(message) Usage: `\(spec.usageLine)`", suggestions: suggestions, command: spec.name)
    }
}
