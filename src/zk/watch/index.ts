export * from './watcher-mode';
export * from './path-watch-table';
export * from './watch-manager';
export * from './watch-report';
