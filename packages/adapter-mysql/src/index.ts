/** The store on MySQL/MariaDB (mysql2). */
export { openMysqlStore, parseJdbcUrl, parseMysqlUrl, type MysqlStoreOptions, type MysqlLocation } from './mysql-store.ts';
export { MYSQL_DIALECT } from './mysql-dialect.ts';
