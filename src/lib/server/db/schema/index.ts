export * from './auth';
export * from './courses';
export * from './announcements';
export * from './lectures';
