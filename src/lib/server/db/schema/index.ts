export * from './auth';
export * from './courses';
export * from './announcements';
export * from './lectures';
export * from './files';
export * from './papers';
export * from './annotations';
export * from './activity';
