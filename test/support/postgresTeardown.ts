// Jest's global teardown: stops the suite's own PostgreSQL, if the setup started one.
export { teardown as default } from './postgresForTests';
