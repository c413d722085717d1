export { ContentModule } from './content.module';
export { ViewerOverlayService } from './viewer-overlay.service';
