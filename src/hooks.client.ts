import { z } from 'zod';

// Zod compiles fast object parsers with `new Function` after probing whether eval works;
// the page's CSP forbids eval, so each probe was reported as a violation. Runs before any
// page module builds a schema.
z.config({ jitless: true });
