// The entry lr-schedules/torch: one export line per schedule (src/catalogue.ts finds them here).
export {};
