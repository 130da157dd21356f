// `npm run worker`: queue workers as their own process (production shape; needs REDIS_URL).
process.env.ROLE = 'worker';
await import('../src/main.js');
