import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthUser } from './auth/auth-user';
import { Auth, CurrentUser } from './auth/auth.decorators';
import { ErrorResponseDto } from './dto/error-response.dto';
import { LoginUserDto, RegisterUserDto, UpdateUserDto } from './dto/user-request.dto';
import { UserResponseDto } from './dto/user-response.dto';
import { UserService } from './user.service';

@ApiTags('User and Authentication')
@ApiUnprocessableEntityResponse({ description: 'Invalid input, field by field', type: ErrorResponseDto })
@Controller()
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Post('users')
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Register a new user' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiTooManyRequestsResponse({
    description: 'Too many attempts from this client (see Retry-After)',
    type: ErrorResponseDto,
  })
  createUser(@Body() body: RegisterUserDto): Promise<UserResponseDto> {
    return this.users.register(body.user);
  }

  @Post('users/login')
  @UseGuards(ThrottlerGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with email and password' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiTooManyRequestsResponse({
    description: 'Too many attempts from this client (see Retry-After)',
    type: ErrorResponseDto,
  })
  login(@Body() body: LoginUserDto): Promise<UserResponseDto> {
    return this.users.login(body.user);
  }

  @Get('user')
  @Auth()
  @ApiOperation({ summary: 'Get the current user' })
  @ApiOkResponse({ type: UserResponseDto })
  getCurrentUser(@CurrentUser() user: AuthUser): Promise<UserResponseDto> {
    return this.users.current(user);
  }

  @Put('user')
  @Auth()
  @ApiOperation({ summary: 'Update the current user' })
  @ApiOkResponse({ type: UserResponseDto })
  updateCurrentUser(@CurrentUser() user: AuthUser, @Body() body: UpdateUserDto): Promise<UserResponseDto> {
    return this.users.update(user, body.user);
  }
}
