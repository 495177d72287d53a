// The entry lr-schedules/optax: one export line per schedule (src/catalogue.ts finds them here).
export {};
