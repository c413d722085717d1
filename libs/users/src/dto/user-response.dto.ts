import { ApiProperty } from '@nestjs/swagger';
import type { ProfileView } from '../profile.mapper';

export class UserDto {
  @ApiProperty({ example: 'jake@jake.jake' }) email!: string;
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiJ9...' }) token!: string;
  @ApiProperty({ example: 'jake' }) username!: string;
  @ApiProperty({ type: String, nullable: true, example: 'I work at statefarm' }) bio!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) image!: string | null;
}

export class UserResponseDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
}

export class ProfileDto implements ProfileView {
  @ApiProperty({ example: 'jake' }) username!: string;
  @ApiProperty({ type: String, nullable: true }) bio!: string | null;
  @ApiProperty({ type: String, nullable: true }) image!: string | null;
  @ApiProperty({ example: false }) following!: boolean;
}

export class ProfileResponseDto {
  @ApiProperty({ type: ProfileDto }) profile!: ProfileDto;
}
