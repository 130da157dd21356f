import { runService } from './run-service.js';

// `npm start`: the API and (ROLE=all, the default) the workers; see run-service.ts.
runService().catch((err) => {
  console.error(err);
  process.exit(1);
});
