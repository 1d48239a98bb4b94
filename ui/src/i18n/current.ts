/** The language in use, apart from the messages so formatting helpers can read it without a cycle. */
export const current = { tag: "en" };
