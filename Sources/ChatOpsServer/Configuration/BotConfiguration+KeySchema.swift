import ChatOpsCore

extension BotConfiguration {
    /// Every key `chatops.yaml` may hold, from the sections' own coding keys: `validate` names any
    /// other key with its line and the closest known one.
    static var keySchema: KeySchema {
        guard case .mapping(var keys) = sectionSchema else { return sectionSchema }
        keys.merge(PlatformRegistry.keySchema) { own, _ in own }
        return .mapping(keys)
    }

    private static var sectionSchema: KeySchema {
        .fields(
            CodingKeys.self,
            [
                "bot": .fields(Bot.CodingKeys.self),
                "server": .fields(Server.CodingKeys.self),
                "store": .fields(StoreSection.CodingKeys.self, ["postgres": .fields(StoreSection.Postgres.CodingKeys.self)]),
                "workers": .fields(Workers.CodingKeys.self),
                "sandbox": .fields(Sandbox.CodingKeys.self),
                "webchat": .fields(WebChat.CodingKeys.self, ["users": .dictionary(.fields(WebChat.User.CodingKeys.self))]),
                "llm": .fields(LLMSection.CodingKeys.self, ["models": .dictionary(.fields(LLMSection.Model.CodingKeys.self))]),
                "roles": .dictionary(.fields(RoleDirectory.Members.CodingKeys.self)),
                "schedules": .list(.fields(ScheduleEntry.CodingKeys.self)),
                "backends": .dictionary(.fields(BackendSection.CodingKeys.self, ["verdict": .fields(VerdictSection.CodingKeys.self)])),
            ])
    }
}
