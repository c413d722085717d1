import { PersonalizedBody, ResponseCached } from '@app/caching';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TagsResponseDto, type TagsResponse } from '../dto/article-response.dto';
import { TagService } from './tag.service';

@ApiTags('Tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagService) {}

  @Get()
  @ResponseCached()
  @ApiOperation({ summary: 'Tags in use, alphabetical' })
  @ApiOkResponse({ type: TagsResponseDto })
  getTags(): Promise<PersonalizedBody<TagsResponse>> {
    return this.tags.list();
  }
}
