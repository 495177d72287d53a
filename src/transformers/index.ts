// The entry lr-schedules/transformers: one export line per schedule (src/catalogue.ts finds them here).
export {};
