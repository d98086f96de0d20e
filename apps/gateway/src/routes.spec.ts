import { Type } from '@nestjs/common';
import { MODULE_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { GatewayModule } from './app.module';
import { ACCESS_KEY } from './core/route.decorator';

function controllersOf(module: Type<unknown>, seen = new Set<unknown>()): Type<unknown>[] {
  if (seen.has(module)) return [];
  seen.add(module);
  const own = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []) as Type<unknown>[];
  const imports = ((Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) ?? []) as unknown[]).filter((m): m is Type<unknown> => typeof m === 'function');
  return [...own, ...imports.flatMap((m) => controllersOf(m, seen))];
}

const routes = controllersOf(GatewayModule).flatMap((controller) =>
  Object.getOwnPropertyNames(controller.prototype)
    .filter((name) => name !== 'constructor' && Reflect.getMetadata(PATH_METADATA, controller.prototype[name]) !== undefined)
    .map((name) => ({ controller, name, route: `${controller.name}.${name}` })),
);

describe('the gateway routes', () => {
  it('are found, one module per back-end service included', () => {
    expect(routes.map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'StoresRoutes.join',
        'CardsRoutes.void',
        'PaymentsRoutes.completeSandbox',
        'StaffRoutes.create',
        'PolicyRoutes.put',
        'LeadsRoutes.reassign',
        'WebhooksRoutes.deliveries',
        'HealthController.live',
      ]),
    );
  });

  it('each declare their access with @Route', () => {
    const undeclared = routes.filter(({ controller, name }) => Reflect.getMetadata(ACCESS_KEY, controller.prototype[name]) === undefined);
    expect(undeclared.map((r) => r.route)).toEqual([]);
  });

  it('take path parameters as one validated object (@Param() params: IdDto), never one by name', () => {
    const byName = routes.filter(({ controller, name }) => {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { data?: unknown }>;
      return Object.entries(args).some(([key, arg]) => key.startsWith(`${RouteParamtypes.PARAM}:`) && arg.data !== undefined);
    });
    expect(byName.map((r) => r.route)).toEqual([]);
  });
});
