import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, IsUrl, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { AtLeastOneField, BodyObject, fieldDefinition, Trim } from './field.decorators';

const USERNAME = /^[A-Za-z0-9_.-]+$/;
const USERNAME_MESSAGE = 'may contain only letters, digits, "_", "." and "-"';
// An empty string from a form means "no value".
const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);
const username = fieldDefinition(
  { example: 'jake', minLength: 1, maxLength: 64, pattern: USERNAME.source },
  Trim(),
  IsString(),
  Length(1, 64),
  Matches(USERNAME, { message: USERNAME_MESSAGE }),
);
const email = fieldDefinition(
  { example: 'jake@jake.jake', format: 'email', maxLength: 254 },
  Trim(),
  IsEmail({}, { message: 'is invalid' }),
  MaxLength(254),
);
const password = fieldDefinition(
  { example: 'jakejake', format: 'password', minLength: 8, maxLength: 128 },
  IsString(),
  Length(8, 128),
);

export class NewUserDto {
  @username.required() username!: string;
  @email.required() email!: string;
  @password.required() password!: string;
}

export class RegisterUserDto {
  @ApiProperty({ type: NewUserDto })
  @BodyObject(() => NewUserDto)
  user!: NewUserDto;
}

export class LoginUserFieldsDto {
  @ApiProperty({ example: 'jake@jake.jake', format: 'email' })
  @Trim()
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
  @BodyObject(() => LoginUserFieldsDto)
  user!: LoginUserFieldsDto;
}

export class UpdateUserFieldsDto {
  @email.optional() email?: string;
  @username.optional() username?: string;
  @password.optional() password?: string;

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
  @AtLeastOneField()
  @BodyObject(() => UpdateUserFieldsDto)
  user!: UpdateUserFieldsDto;
}
