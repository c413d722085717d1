import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AtLeastOneField, OptionalField } from './field.decorators';

const USERNAME = /^[A-Za-z0-9_.-]+$/;
const USERNAME_MESSAGE = 'may contain only letters, digits, "_", "." and "-"';
// An empty string from a form means "no value".
const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class NewUserDto {
  @ApiProperty({ example: 'jake', minLength: 1, maxLength: 64, pattern: USERNAME.source })
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  @Matches(USERNAME, { message: USERNAME_MESSAGE })
  username!: string;

  @ApiProperty({ example: 'jake@jake.jake', format: 'email', maxLength: 254 })
  @Transform(trim)
  @IsEmail({}, { message: 'is invalid' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'jakejake', format: 'password', minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password!: string;
}

export class RegisterUserDto {
  @ApiProperty({ type: NewUserDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => NewUserDto)
  user!: NewUserDto;
}

export class LoginUserFieldsDto {
  @ApiProperty({ example: 'jake@jake.jake', format: 'email' })
  @Transform(trim)
  @IsString()
  @Length(1, 254)
  email!: string;

  @ApiProperty({ example: 'jakejake', format: 'password' })
  @IsString()
  @Length(1, 128)
  password!: string;
}

export class LoginUserDto {
  @ApiProperty({ type: LoginUserFieldsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => LoginUserFieldsDto)
  user!: LoginUserFieldsDto;
}

export class UpdateUserFieldsDto {
  @ApiPropertyOptional({ example: 'jake@jake.jake', format: 'email' })
  @OptionalField()
  @Transform(trim)
  @IsEmail({}, { message: 'is invalid' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'jake', minLength: 1, maxLength: 64 })
  @OptionalField()
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  @Matches(USERNAME, { message: USERNAME_MESSAGE })
  username?: string;

  @ApiPropertyOptional({ format: 'password', minLength: 8, maxLength: 128 })
  @OptionalField()
  @IsString()
  @Length(8, 128)
  password?: string;

  @ApiPropertyOptional({ example: 'I work at statefarm', nullable: true, maxLength: 2000, type: String })
  @Transform(emptyToNull)
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(2000)
  bio?: string | null;

  @ApiPropertyOptional({ example: 'https://i.stack.imgur.com/xHWG8.jpg', nullable: true, format: 'uri', type: String })
  @Transform(emptyToNull)
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  @MaxLength(2048)
  image?: string | null;
}

export class UpdateUserDto {
  @ApiProperty({ type: UpdateUserFieldsDto })
  @IsDefined()
  @AtLeastOneField()
  @ValidateNested()
  @Type(() => UpdateUserFieldsDto)
  user!: UpdateUserFieldsDto;
}
