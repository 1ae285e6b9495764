/// The LLM layer (chat models, guarded summaries, intent parsing) arrives with its own issue.
