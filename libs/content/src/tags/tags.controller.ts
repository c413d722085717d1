import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TagsResponseDto } from '../dto/article-response.dto';
import { JsonString } from '../json-response';
import { TagService } from './tag.service';

@ApiTags('Tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagService) {}

  @Get()
  @JsonString()
  @ApiOperation({ summary: 'Tags in use, alphabetical' })
  @ApiOkResponse({ type: TagsResponseDto })
  getTags(): Promise<string> {
    return this.tags.list();
  }
}
