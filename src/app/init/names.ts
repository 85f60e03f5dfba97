import type { MappedField } from '../../config/schema.js';

/**
 * What teams call the column behind each model field, in English, German, French, Spanish,
 * Portuguese, Russian and Chinese. Written as `normaliseName` leaves them (lower case, words
 * joined by one space): `init` matches a column whose name equals one of these, or holds it as
 * whole words. Fields the source fills itself (`url`, and `createdAt`/`updatedAt` for APIs) are
 * proposed only from a file.
 */
// prettier-ignore
export const FIELD_NAMES: Readonly<Record<MappedField, readonly string[]>> = {
  id: ['id', 'record id', 'interview id', 'row id'],
  url: [],
  title: [
    'name', 'title', 'interview', 'interview name', 'interview title', 'subject', 'topic', 'call', 'meeting', 'conversation',
    'titel', 'thema', 'gespräch', 'nom', 'titre', 'sujet', 'nombre', 'título', 'titulo', 'asunto', 'nome', 'assunto',
    'название', 'заголовок', 'тема', 'имя', '标题', '名称', '访谈',
  ],
  startsAt: [
    'date', 'interview date', 'call date', 'meeting date', 'when', 'start', 'starts at', 'start time', 'date time', 'datetime', 'scheduled', 'scheduled for',
    'datum', 'termin', 'gesprächsdatum', 'interviewdatum', 'zeitpunkt', 'date de l entretien', 'date entretien', 'quand', 'fecha', 'fecha de la entrevista',
    'cuándo', 'data', 'data da entrevista', 'quando', 'дата', 'дата интервью', 'когда', 'время', '日期', '时间', '访谈日期', '访谈时间',
  ],
  endsAt: ['end', 'ends at', 'end time', 'ende', 'endzeit', 'fin', 'heure de fin', 'fecha de fin', 'hora de fin', 'fim', 'hora de término', 'конец', 'окончание', '结束时间', '结束'],
  durationMinutes: [
    'duration', 'length', 'minutes', 'mins', 'min', 'hours', 'dauer', 'länge', 'minuten', 'stunden', 'durée', 'heures', 'duración', 'minutos', 'horas',
    'duração', 'длительность', 'продолжительность', 'минуты', 'минут', 'часы', '时长', '持续时间', '分钟', '小时',
  ],
  interviewers: [
    'interviewer', 'interviewers', 'interviewed by', 'pm', 'product manager', 'owner', 'lead', 'led by', 'host', 'conducted by', 'moderator', 'facilitator',
    'interviewt von', 'geführt von', 'durchgeführt von', 'verantwortlich', 'intervieweur', 'interviewé par', 'mené par', 'responsable', 'animateur',
    'entrevistador', 'entrevistadores', 'realizado por', 'responsável', 'conduzido por', 'интервьюер', 'интервьюеры', 'ведущий', 'провёл', 'провел',
    'ответственный', '访谈人', '访谈者', '负责人', '主持人', '采访人',
  ],
  attendees: [
    'attendees', 'attended', 'also attended', 'also present', 'observers', 'observer', 'internal attendees', 'team members', 'trio',
    'teilnehmer', 'weitere teilnehmer', 'beobachter', 'participants internes', 'observateurs', 'présents', 'asistentes', 'observadores',
    'participantes internos', 'presentes', 'участники', 'наблюдатели', 'присутствовали', '参与人', '参会人', '旁听', '观察员', '参与者',
  ],
  account: [
    'account', 'account name', 'company', 'company name', 'customer', 'customer name', 'organisation', 'organization', 'org', 'client',
    'firma', 'unternehmen', 'kunde', 'konto', 'entreprise', 'société', 'compte', 'empresa', 'cuenta', 'cliente', 'conta',
    'компания', 'клиент', 'аккаунт', 'организация', '公司', '客户', '账户', '客户名称', '企业',
  ],
  participantName: [
    'participant', 'participant name', 'interviewee', 'contact', 'contact name', 'person', 'customer contact',
    'interviewte person', 'gesprächspartner', 'ansprechpartner', 'personne interviewée', 'interlocuteur', 'participant externe', 'entrevistado',
    'contacto', 'contato', 'respondent', 'респондент', 'собеседник', 'контакт', '受访者', '受访人', '联系人',
  ],
  participantEmail: [
    'participant email', 'email', 'e mail', 'contact email', 'interviewee email', 'participant e mail', 'courriel', 'correo', 'correo electrónico',
    'почта', 'электронная почта', '邮箱', '电子邮件', '受访者邮箱',
  ],
  participantRole: [
    'participant role', 'role', 'job title', 'position', 'contact role', 'rolle', 'funktion', 'rôle', 'poste', 'fonction', 'rol', 'cargo', 'puesto',
    'função', 'должность', 'роль', '职位', '角色', '岗位',
  ],
  segment: ['segment', 'customer segment', 'market segment', 'persona', 'market', 'zielgruppe', 'marché', 'segmento', 'mercado', 'сегмент', '细分', '客户群', '分群', '细分市场'],
  customerStatus: [
    'customer status', 'status', 'customer type', 'relationship', 'lifecycle', 'lifecycle stage', 'kundenstatus', 'statut client', 'statut',
    'estado del cliente', 'estado', 'status do cliente', 'situação', 'статус клиента', 'статус', '客户状态', '状态', '客户类型',
  ],
  tier: ['tier', 'plan', 'customer tier', 'account tier', 'stufe', 'tarif', 'niveau', 'nivel', 'plano', 'тариф', 'уровень', '等级', '级别', '套餐'],
  callType: [
    'type', 'call type', 'interview type', 'meeting type', 'kind', 'category', 'purpose', 'art', 'typ', 'gesprächsart', 'type d entretien', 'type d appel',
    'tipo', 'tipo de llamada', 'tipo de entrevista', 'tipo de chamada', 'тип', 'тип звонка', 'тип интервью', 'вид', '类型', '访谈类型', '通话类型',
  ],
  location: [
    'location', 'where', 'setting', 'format', 'mode', 'channel', 'medium', 'ort', 'lieu', 'lugar', 'ubicación', 'formato', 'local', 'modalidade',
    'место', 'формат', '地点', '形式', '方式',
  ],
  study: [
    'study', 'research', 'project', 'research question', 'initiative', 'studie', 'forschungsfrage', 'projekt', 'étude', 'projet', 'estudio', 'proyecto',
    'estudo', 'projeto', 'исследование', 'проект', '研究', '项目', '课题',
  ],
  tldr: [
    'tl dr', 'tldr', 'summary', 'key takeaways', 'takeaway', 'takeaways', 'synopsis', 'zusammenfassung', 'fazit', 'résumé', 'en bref', 'synthèse',
    'resumen', 'resumo', 'кратко', 'резюме', 'итог', 'итоги', '摘要', '总结', '要点',
  ],
  notesUrl: [
    'notes url', 'notes', 'notes link', 'link', 'transcript', 'recording', 'doc', 'notizen', 'protokoll', 'lien', 'notas', 'enlace', 'link das notas',
    'ссылка', 'заметки', 'конспект', '笔记', '记录', '链接', '纪要',
  ],
  debriefed: [
    'debriefed', 'debrief', 'debrief done', 'debriefing', 'nachbesprechung', 'débrief', 'débriefé', 'debrief hecho', 'debrief feito', 'разбор', 'дебриф',
    '复盘', '已复盘',
  ],
  followUpDue: [
    'follow up due', 'follow ups due', 'follow up date', 'follow up', 'next step due', 'wiedervorlage', 'follow up fällig', 'relance', 'date de relance',
    'seguimiento', 'fecha de seguimiento', 'acompanhamento', 'prazo do acompanhamento', 'срок', 'срок фоллоу апа', '跟进日期', '跟进截止',
  ],
  followUpDone: [
    'follow up done', 'follow ups done', 'followed up', 'follow up sent', 'erledigt', 'follow up erledigt', 'relance faite', 'seguimiento hecho',
    'acompanhamento feito', 'выполнено', 'фоллоу ап сделан', '已跟进',
  ],
  followUpText: [
    'promise', 'promised', 'promises', 'what we promised', 'next steps', 'action items', 'follow up notes', 'versprechen', 'zusage', 'nächste schritte', 'promesse',
    'prochaines étapes', 'compromiso', 'próximos pasos', 'promessa', 'próximos passos', 'обещание', 'обещания', 'следующие шаги', '承诺', '下一步',
  ],
  tags: ['tags', 'tag', 'themes', 'topics', 'labels', 'schlagwörter', 'themen', 'etiketten', 'étiquettes', 'thèmes', 'etiquetas', 'temas', 'теги', 'темы', 'метки', '标签', '主题'],
  nugget: ['nugget', 'quote', 'highlight', 'insight', 'key quote', 'zitat', 'citation', 'verbatim', 'cita', 'citação', 'цитата', '引述', '金句', '引用'],
  createdAt: ['created', 'created time', 'created at', 'created on', 'erstellt', 'créé', 'creado', 'criado', 'создано', '创建时间'],
  updatedAt: [
    'last edited', 'last edited time', 'last modified', 'updated', 'updated at', 'zuletzt bearbeitet', 'geändert', 'modifié', 'dernière modification',
    'modificado', 'última edición', 'изменено', '最后编辑时间', '更新时间',
  ],
};

/** A column or value name as it is compared: Unicode-normalised, lower case, punctuation to spaces. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
