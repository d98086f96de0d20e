import { applyDecorators, SetMetadata } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';

export const COMMAND_PATTERN = 'o2o:command-pattern';

/**
 * A message handler that changes state. It runs in one transaction with the record of its
 * request id and answer, so a second delivery of the same request answers the first one's result
 * and changes nothing. Handlers that only read use @MessagePattern.
 */
export const Command = (pattern: string) => applyDecorators(MessagePattern(pattern), SetMetadata(COMMAND_PATTERN, pattern));
