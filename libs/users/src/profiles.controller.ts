import { PersonalizedBody, ResponseCached } from '@app/caching';
import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from './auth/auth-user';
import { Auth, CurrentUser, OptionalAuth } from './auth/auth.decorators';
import { ErrorResponseDto } from './dto/error-response.dto';
import { ProfileResponseDto } from './dto/user-response.dto';
import { ProfileService } from './profile.service';

@ApiTags('Profile')
@ApiParam({ name: 'username', example: 'jake' })
@ApiNotFoundResponse({ description: 'No user with that username', type: ErrorResponseDto })
@Controller('profiles/:username')
export class ProfilesController {
  constructor(private readonly profiles: ProfileService) {}

  @Get()
  @ResponseCached()
  @OptionalAuth()
  @ApiOperation({ summary: 'Get a profile' })
  @ApiOkResponse({ type: ProfileResponseDto })
  getProfileByUsername(
    @Param('username') username: string,
    @CurrentUser() viewer: AuthUser | null,
  ): Promise<PersonalizedBody<ProfileResponseDto>> {
    return this.profiles.get(username, viewer);
  }

  @Post('follow')
  @HttpCode(HttpStatus.OK)
  @Auth()
  @ApiOperation({ summary: 'Follow a user' })
  @ApiOkResponse({ type: ProfileResponseDto })
  followUserByUsername(
    @Param('username') username: string,
    @CurrentUser() viewer: AuthUser,
  ): Promise<ProfileResponseDto> {
    return this.profiles.follow(viewer, username);
  }

  @Delete('follow')
  @HttpCode(HttpStatus.OK)
  @Auth()
  @ApiOperation({ summary: 'Unfollow a user' })
  @ApiOkResponse({ type: ProfileResponseDto })
  unfollowUserByUsername(
    @Param('username') username: string,
    @CurrentUser() viewer: AuthUser,
  ): Promise<ProfileResponseDto> {
    return this.profiles.unfollow(viewer, username);
  }
}
