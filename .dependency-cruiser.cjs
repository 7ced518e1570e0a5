// Architecture rules, checked by `npm run lint` (depcruise src --config .dependency-cruiser.cjs).
//
//   core  = src/domain, src/conversation, src/features, src/app   (pure: gets ports, imports no infrastructure)
//   infra = src/data, src/channels/<name>, src/http, src/cli, src/i18n, src/main.ts, src/config.ts, src/logger.ts
//
// Inside the core: domain <- conversation <- features <- app (an arrow points at what may be imported).
// Channels reach the bot only through src/conversation/messages.ts; only src/data and src/cli touch Prisma.

/** Folders/files of the pure core. */
const CORE = '^src/(domain|conversation|features|app)/';

/** npm packages that are infrastructure (also matches their @types/* twins, which is where type-only imports land). */
const INFRA_PACKAGES = [
  '^node_modules/(@types/)?(telegraf|fastify|pino|pg|better-sqlite3|prisma|i18next|sharp)/',
  '^node_modules/@prisma/',
  '^node_modules/\\.prisma/',
];

/** Node built-ins that do I/O. Matches both `node:fs` and `fs`, and sub-paths such as `fs/promises`. */
const IO_BUILTINS = '^(node:)?(http|https|http2|net|tls|dgram|fs|child_process)(/|$)';

/** The generated Prisma client, in-tree or in its default node_modules location. */
const PRISMA = ['^src/generated/', '^node_modules/@prisma/', '^node_modules/\\.prisma/', '^node_modules/prisma/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- the pure core ---------------------------------------------------------------------------------------
    {
      name: 'core-not-to-infra',
      comment:
        'The core (domain, conversation, features, app) is pure: it receives ports and must not import ' +
        'data, channels, http, cli, i18n, generated code, main.ts, config.ts, logger.ts ' +
        'or the composition root (wiring.ts).',
      severity: 'error',
      from: { path: CORE },
      to: {
        path: [
          '^src/(data|channels|http|cli|i18n|generated|web)/',
          '^src/(main|config|logger|wiring)\\.(ts|js)$',
          '^src/(data|channels|http|cli|i18n|generated)\\.(ts|js)$',
        ],
      },
    },
    {
      name: 'core-not-to-infra-packages',
      comment:
        'The core must not import telegraf, fastify, pino, pg, better-sqlite3, prisma/@prisma/*, i18next or sharp; ' +
        'define a port in the core and implement it in src/data, src/i18n, src/logger.ts, ...',
      severity: 'error',
      from: { path: CORE },
      to: { path: INFRA_PACKAGES },
    },
    {
      name: 'core-not-to-io-builtins',
      comment: 'The core must not do I/O (node:http, node:https, node:net, node:fs, node:child_process, ...).',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['core'], path: IO_BUILTINS },
    },
    {
      name: 'domain-not-to-upper-core',
      comment: 'src/domain must not import src/features or src/app.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(features|app)/' },
    },
    {
      name: 'domain-not-to-conversation',
      comment:
        'src/domain is the innermost layer: it must not import src/conversation (the engine builds on the domain, ' +
        'not the other way round). Shared types (channels, outbound messages) live in src/domain/channels.ts.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/conversation/' },
    },
    {
      name: 'conversation-not-to-upper-core',
      comment: 'src/conversation must not import src/features or src/app.',
      severity: 'error',
      from: { path: '^src/conversation/' },
      to: { path: '^src/(features|app)/' },
    },
    {
      name: 'features-not-to-app',
      comment: 'src/features must not import src/app.',
      severity: 'error',
      from: { path: '^src/features/' },
      to: { path: '^src/app/' },
    },

    // ---- the web console (src/web) ---------------------------------------------------------------------------
    {
      name: 'web-not-to-channels',
      comment:
        'The web console (src/web) acts through the services (features, app) and the data layer; it never talks to ' +
        'a channel: messages to members go through the outbox like every other.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/(channels|cli)/' },
    },

    // ---- channels --------------------------------------------------------------------------------------------
    {
      name: 'channel-not-to-other-channel',
      comment: 'A channel (src/channels/<name>) must not import another channel.',
      severity: 'error',
      from: { path: '^src/channels/([^/]+)/' },
      to: { path: '^src/channels/', pathNot: ['^src/channels/$1/', '^src/channels/shared/'] },
    },
    {
      name: 'channel-not-to-data-or-features',
      comment:
        'Channels talk to the bot only through the src/conversation/messages.ts interfaces (they are handed a ' +
        'BotGateway): no src/data, src/generated, src/features or src/app.',
      severity: 'error',
      from: { path: '^src/channels/' },
      to: { path: '^src/(data|generated|features|app)/' },
    },

    // ---- data ------------------------------------------------------------------------------------------------
    {
      name: 'data-not-to-outer-layers',
      comment: 'src/data must not import src/channels, src/http, src/features or src/app.',
      severity: 'error',
      from: { path: '^src/data/' },
      to: { path: '^src/(channels|http|features|app)/' },
    },
    {
      name: 'prisma-only-in-data-and-cli',
      comment: 'Only src/data and src/cli may import the generated Prisma client (src/generated) or @prisma/*.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(data|cli|generated)/' },
      to: { path: PRISMA },
    },

    // ---- hygiene ---------------------------------------------------------------------------------------------
    {
      name: 'src-not-to-test',
      comment: 'Production code must not import from test/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      comment: 'Circular dependencies make initialisation order fragile and layers meaningless.',
      severity: 'error',
      from: { pathNot: '^src/generated/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'This module imports something that cannot be resolved. Missing npm package, typo, or src/generated ' +
        'not generated yet (run the Prisma generate script first).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'This module uses an npm package that is not declared in package.json (it only works by accident).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'src-not-to-dev-dep',
      comment:
        'Production code must not import devDependencies (type-only imports of @types/* are fine). ' +
        'Move the package to "dependencies" or keep the import in test/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.(test|spec)\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: '^node_modules/@types/' },
    },
    {
      name: 'not-to-deprecated',
      comment: 'This module uses a deprecated npm module or Node core module.',
      severity: 'warn',
      from: {},
      to: { dependencyTypes: ['deprecated'] },
    },
  ],

  options: {
    // Generated code is a leaf: its own imports are not cruised (but imports *of* it are checked).
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: ['^data/', '^coverage/', '^dist/'] },

    moduleSystems: ['es6', 'cjs'],
    // See `import type` dependencies too (they are architecture as much as runtime imports are).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },

    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },

    reporterOptions: {
      text: { highlightFocused: true },
    },
    cache: false,
  },
};
