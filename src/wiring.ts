// The composition root: the one place that knows every concrete piece (Prisma repositories, i18next, the areas
// file) and hands them to the core as ports. main.ts runs it; tests build the same bot on a fresh database.
import { createBot } from './app/bot.ts';
import type { BotGateway } from './conversation/messages.ts';
import { systemClock, type Clock, type Logger } from './conversation/ports.ts';
import { loadAreas } from './data/areasFile.ts';
import { createConversationRepository } from './data/conversationRepository.ts';
import { createInboundLog } from './data/inboundLog.ts';
import type { PrismaClient } from './data/database.ts';
import { createMemberRepository } from './data/memberRepository.ts';
import type { AreaDirectory } from './domain/areas.ts';
import type { InboundLog, Language, MemberRepository, Role } from './domain/member.ts';
import { createFeatures } from './features/index.ts';
import { createLocalisation, type Localisation } from './i18n/i18n.ts';

export interface RuntimeOptions {
  prisma: PrismaClient;
  logger: Logger;
  areasFile: string;
  defaultLanguage: Language;
  conversationTimeoutMs: number;
  clock?: Clock;
  newMemberRole?: Role;
}

export interface Runtime {
  bot: BotGateway;
  members: MemberRepository;
  inbound: InboundLog;
  areas: AreaDirectory;
  localisation: Localisation;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const members = createMemberRepository(options.prisma);
  const conversations = createConversationRepository(options.prisma);
  const inbound = createInboundLog(options.prisma);
  const areas = loadAreas(options.areasFile);
  const localisation = createLocalisation(undefined, options.defaultLanguage);
  const features = createFeatures({ members, areas });
  const bot = createBot({
    members,
    conversations,
    inbound,
    flows: features.flows,
    home: features.home,
    translator: localisation.translator,
    vocabulary: localisation.vocabulary,
    clock: options.clock ?? systemClock,
    logger: options.logger,
    conversationTimeoutMs: options.conversationTimeoutMs,
    defaultLanguage: options.defaultLanguage,
    ...(options.newMemberRole ? { newMemberRole: options.newMemberRole } : {}),
  });
  return { bot, members, inbound, areas, localisation };
}
