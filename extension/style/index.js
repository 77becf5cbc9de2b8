import './base.css';
import './sidebar.css';
import './rows.css';
import './jobs.css';
import './viewers.css';
import './tables.css';
import './dialogs.css';
import './uploads.css';
