import { Body, Controller, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';
import { AuthService } from './auth.service';
import { LoginDto, LoginResultDto } from './dto/login.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Route({
    method: 'POST',
    path: 'auth/login',
    summary: 'Sign in as staff; 429 after 10 failed logins for a username from one address within 15 minutes',
    access: 'public',
    status: 200,
    response: LoginResultDto,
    errors: [400],
  })
  login(@Body() dto: LoginDto, @Req() req: GatewayRequest): Promise<LoginResultDto> {
    return this.auth.login(dto.username, dto.password, req.ip);
  }
}
