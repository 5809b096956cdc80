// RetortKnowledge: elicitation strategies (survey Eq. 1), dedup and quality filters.
// Filled in by the elicitation issue.
