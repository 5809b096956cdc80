// RetortTeachers: the `Teacher` protocol and its backends (local, OpenAI-compatible, Anthropic).
// Filled in by the elicitation issue.
